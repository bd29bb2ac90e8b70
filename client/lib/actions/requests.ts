'use server';

import { revalidatePath } from 'next/cache';
import { graphql } from '@/gql';
import { gqlRequest, type ApiResult } from '../api';
import { crossSiteRefusal } from './guard';

const Approve = graphql(`mutation ApproveRequest($id: ID!, $comment: String) { approveKeyRequest(id: $id, comment: $comment) { id status } }`);
const Reject = graphql(`mutation RejectRequest($id: ID!, $reason: String!) { rejectKeyRequest(id: $id, reason: $reason) { id status } }`);
const Reissue = graphql(`mutation ReissueClaim($id: ID!) { reissueKeyClaim(requestId: $id) { id status claimExpiresAt } }`);

async function guarded<T>(run: () => Promise<ApiResult<T>>): Promise<ApiResult<T>> {
  const refused = await crossSiteRefusal();
  if (refused) return refused;
  const result = await run();
  if (result.ok) revalidatePath('/requests');
  return result;
}

export async function approveRequest(id: string, comment: string) {
  return guarded(() => gqlRequest(Approve, { id, comment: comment || null }));
}

export async function rejectRequest(id: string, reason: string) {
  return guarded(() => gqlRequest(Reject, { id, reason }));
}

export async function reissueClaim(id: string) {
  return guarded(() => gqlRequest(Reissue, { id }));
}
