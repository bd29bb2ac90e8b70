'use server';

import { revalidatePath } from 'next/cache';
import { graphql } from '@/gql';
import { gqlRequest } from '../api';
import { crossSiteRefusal } from './guard';

const Ack = graphql(`mutation AcknowledgeAlert($id: ID!) { acknowledgeAlert(id: $id) { id status } }`);
const Resolve = graphql(`mutation ResolveAlert($id: ID!) { resolveAlert(id: $id) { id status } }`);

export async function acknowledgeAlert(id: string) {
  const refused = await crossSiteRefusal();
  if (refused) return refused;
  const r = await gqlRequest(Ack, { id });
  if (r.ok) revalidatePath('/alerts');
  return r;
}

export async function resolveAlert(id: string) {
  const refused = await crossSiteRefusal();
  if (refused) return refused;
  const r = await gqlRequest(Resolve, { id });
  if (r.ok) revalidatePath('/alerts');
  return r;
}
