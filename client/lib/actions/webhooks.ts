'use server';

import { revalidatePath } from 'next/cache';
import { graphql } from '@/gql';
import type { CreateWebhookEndpointInput, UpdateWebhookEndpointInput } from '@/gql/graphql';
import { gqlRequest, type ApiResult } from '../api';
import { crossSiteRefusal } from './guard';

const Create = graphql(`mutation CreateWebhook($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { secret endpoint { id url } } }`);
const Update = graphql(`mutation UpdateWebhook($id: ID!, $input: UpdateWebhookEndpointInput!) { updateWebhookEndpoint(id: $id, input: $input) { id } }`);
const Delete = graphql(`mutation DeleteWebhook($id: ID!) { deleteWebhookEndpoint(id: $id) { id } }`);
const Rotate = graphql(`
  mutation RotateWebhookSecret($id: ID!, $overlap: Int) {
    rotateWebhookSecret(id: $id, overlapSeconds: $overlap) { secret endpoint { id previousSecretExpiresAt } }
  }
`);
const Test = graphql(`mutation SendTestWebhook($id: ID!) { sendTestWebhook(id: $id) { id status } }`);
const Replay = graphql(`mutation ReplayDelivery($id: ID!) { replayWebhookDelivery(id: $id) { id status series } }`);

async function guarded<T>(revalidate: boolean, run: () => Promise<ApiResult<T>>): Promise<ApiResult<T>> {
  const refused = await crossSiteRefusal();
  if (refused) return refused;
  const result = await run();
  if (result.ok && revalidate) revalidatePath('/webhooks');
  return result;
}

/** Answers with the signing secret: no revalidation, so the dialog showing it stays (see keys.ts). */
export async function createWebhook(input: CreateWebhookEndpointInput) {
  return guarded(false, () => gqlRequest(Create, { input }));
}

export async function rotateWebhookSecret(id: string, overlapSeconds: number | null) {
  return guarded(false, () => gqlRequest(Rotate, { id, overlap: overlapSeconds }));
}

export async function updateWebhook(id: string, input: UpdateWebhookEndpointInput) {
  return guarded(true, () => gqlRequest(Update, { id, input }));
}

export async function deleteWebhook(id: string) {
  return guarded(true, () => gqlRequest(Delete, { id }));
}

export async function sendTestWebhook(id: string) {
  return guarded(true, () => gqlRequest(Test, { id }));
}

export async function replayDelivery(id: string) {
  return guarded(true, () => gqlRequest(Replay, { id }));
}
