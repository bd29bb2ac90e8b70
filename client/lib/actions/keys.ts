'use server';

import { revalidatePath } from 'next/cache';
import { graphql } from '@/gql';
import type { CreateApiKeyInput, RequestApiKeyInput, UpdateApiKeyInput } from '@/gql/graphql';
import { gqlRequest, type ApiResult } from '../api';
import { crossSiteRefusal } from './guard';

const SECRET_FIELDS = graphql(`
  fragment IssuedKey on ApiKey { id name status start last4 }
`);
void SECRET_FIELDS;

const Rotate = graphql(`
  mutation RotateKey($id: ID!, $grace: Int, $idem: String) {
    rotateApiKey(id: $id, gracePeriodSeconds: $grace, idempotencyKey: $idem) {
      secret notice apiKey { ...IssuedKey } previous { id status graceEndsAt }
    }
  }
`);
const Revoke = graphql(`mutation RevokeKey($id: ID!, $reason: String) { revokeApiKey(id: $id, reason: $reason) { id status } }`);
const Suspend = graphql(`mutation SuspendKey($id: ID!, $reason: String) { suspendApiKey(id: $id, reason: $reason) { id status } }`);
const Reactivate = graphql(`mutation ReactivateKey($id: ID!) { reactivateApiKey(id: $id) { id status } }`);
const Renew = graphql(`mutation RenewKey($id: ID!, $at: DateTimeISO!) { renewApiKey(id: $id, expiresAt: $at) { id status expiresAt } }`);
const Update = graphql(`mutation UpdateKey($id: ID!, $input: UpdateApiKeyInput!) { updateApiKey(id: $id, input: $input) { id name } }`);
const Create = graphql(`
  mutation CreateKey($input: CreateApiKeyInput!, $idem: String) {
    createApiKey(input: $input, idempotencyKey: $idem) { secret notice apiKey { ...IssuedKey } }
  }
`);
const Request = graphql(`
  mutation RequestKey($input: RequestApiKeyInput!, $idem: String) {
    requestApiKey(input: $input, idempotencyKey: $idem) { id status approvalsRequired }
  }
`);
const Claim = graphql(`
  mutation ClaimKey($id: ID!) { claimApiKey(requestId: $id) { secret notice apiKey { ...IssuedKey } } }
`);

async function guarded<T>(run: () => Promise<ApiResult<T>>, paths: string[]): Promise<ApiResult<T>> {
  const refused = await crossSiteRefusal();
  if (refused) return refused;
  const result = await run();
  if (result.ok) for (const p of paths) revalidatePath(p);
  return result;
}

/**
 * Actions that answer with a one-time secret revalidate nothing: any revalidation
 * re-renders the current page, which would unmount the dialog holding the secret (the
 * key is no longer `active`, the request no longer `approved`). The UI refreshes itself
 * once the secret has been dismissed.
 */
export async function rotateKey(id: string, gracePeriodSeconds: number | null, idempotencyKey: string) {
  return guarded(() => gqlRequest(Rotate, { id, grace: gracePeriodSeconds, idem: idempotencyKey }), []);
}

export async function revokeKey(id: string, reason: string) {
  return guarded(() => gqlRequest(Revoke, { id, reason: reason || null }), ['/keys', `/keys/${id}`]);
}

export async function suspendKey(id: string, reason: string) {
  return guarded(() => gqlRequest(Suspend, { id, reason: reason || null }), ['/keys', `/keys/${id}`]);
}

export async function reactivateKey(id: string) {
  return guarded(() => gqlRequest(Reactivate, { id }), ['/keys', `/keys/${id}`]);
}

export async function renewKey(id: string, expiresAt: string) {
  return guarded(() => gqlRequest(Renew, { id, at: expiresAt }), ['/keys', `/keys/${id}`]);
}

export async function updateKey(id: string, input: UpdateApiKeyInput) {
  return guarded(() => gqlRequest(Update, { id, input }), ['/keys', `/keys/${id}`]);
}

/** The idempotency key makes a double-submitted wizard return the first key, not two. */
export async function createKey(input: CreateApiKeyInput, idempotencyKey: string) {
  return guarded(() => gqlRequest(Create, { input, idem: idempotencyKey }), []);
}

export async function requestKey(input: RequestApiKeyInput, idempotencyKey: string) {
  return guarded(() => gqlRequest(Request, { input, idem: idempotencyKey }), []);
}

/** Like rotateKey: the row showing the secret must stay mounted. */
export async function claimKey(requestId: string) {
  return guarded(() => gqlRequest(Claim, { id: requestId }), []);
}
