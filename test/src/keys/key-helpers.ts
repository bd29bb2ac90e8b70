import type { TestApp } from '../harness/app';
import { gql, gqlOk, type GqlResult } from '../harness/graphql';
export { createUser, dbOf, login, loginOwner, meOf, roleId, OWNER } from '../access/access-helpers';

/** Fields of ApiKey the key tests read (never a hash: the type has none). */
export const KEY_FIELDS = `id name type subtype environment status statusReason start last4 custom recoverable ownerId applicationId
  permissionLevel scopes roleIds expiresAt graceEndsAt claimExpiresAt rotatedFromId rotatedToId createdAt lastUsedAt tags alertOnUse
  restrictions { ipAllowList referrers countries environmentBinding mode { ip referrer country } }
  rateLimit { perSecond perMinute perHour perDay }`;

export interface ApiKeyView {
  id: string;
  name: string;
  type: string;
  subtype: string;
  environment: string;
  status: string;
  statusReason: string | null;
  start: string;
  last4: string;
  custom: boolean;
  recoverable: boolean;
  ownerId: string | null;
  applicationId: string | null;
  permissionLevel: string;
  scopes: string[];
  roleIds: string[];
  expiresAt: string | null;
  graceEndsAt: string | null;
  claimExpiresAt: string | null;
  rotatedFromId: string | null;
  rotatedToId: string | null;
  createdAt: string;
  lastUsedAt: string | null;
  tags: string[];
  alertOnUse: boolean;
  restrictions: { ipAllowList: string[]; referrers: string[]; countries: string[]; environmentBinding: boolean };
  rateLimit: { perSecond: number | null; perMinute: number | null; perHour: number | null; perDay: number | null };
}

export const REQUEST_FIELDS = `id status requesterId approvalsRequired approvals { userId comment at } keyId claimExpiresAt claimedAt
  rejection { userId reason } key { name type subtype permissionLevel scopes grantedScopes expiresAt expiryLifetimeSeconds }`;

export interface KeyRequestView {
  id: string;
  status: string;
  requesterId: string;
  approvalsRequired: number;
  approvals: { userId: string; comment: string; at: string }[];
  keyId: string | null;
  claimExpiresAt: string | null;
  claimedAt: string | null;
  rejection: { userId: string; reason: string } | null;
  key: {
    name: string;
    type: string;
    subtype: string;
    permissionLevel: string;
    scopes: string[];
    grantedScopes: string[];
    expiresAt: string | null;
    expiryLifetimeSeconds: number | null;
  };
}

export interface SecretPayload {
  apiKey: ApiKeyView;
  secret: string | null;
  replayed: boolean;
  notice: string | null;
}

const CREATE = `mutation($i: CreateApiKeyInput!, $k: String){ createApiKey(input:$i, idempotencyKey:$k){ apiKey { ${KEY_FIELDS} } secret replayed notice } }`;
const REQUEST = `mutation($i: RequestApiKeyInput!, $k: String){ requestApiKey(input:$i, idempotencyKey:$k){ ${REQUEST_FIELDS} } }`;

export function createKeyRaw(app: TestApp, token: string, input: Record<string, unknown>, idempotencyKey?: string): Promise<GqlResult<{ createApiKey: SecretPayload }>> {
  return gql<{ createApiKey: SecretPayload }>(app.url, CREATE, { i: input, k: idempotencyKey ?? null }, { token });
}

export async function createKey(app: TestApp, token: string, input: Record<string, unknown>): Promise<SecretPayload> {
  return (await gqlOk<{ createApiKey: SecretPayload }>(app.url, CREATE, { i: input }, { token })).createApiKey;
}

export function requestKeyRaw(app: TestApp, token: string, input: Record<string, unknown>, idempotencyKey?: string): Promise<GqlResult<{ requestApiKey: KeyRequestView }>> {
  return gql<{ requestApiKey: KeyRequestView }>(app.url, REQUEST, { i: input, k: idempotencyKey ?? null }, { token });
}

export async function requestKey(app: TestApp, token: string, input: Record<string, unknown>): Promise<KeyRequestView> {
  return (await gqlOk<{ requestApiKey: KeyRequestView }>(app.url, REQUEST, { i: input }, { token })).requestApiKey;
}

export function approveRaw(app: TestApp, token: string, id: string, comment = 'ok'): Promise<GqlResult<{ approveKeyRequest: KeyRequestView }>> {
  return gql(app.url, `mutation($id:ID!,$c:String){ approveKeyRequest(id:$id, comment:$c){ ${REQUEST_FIELDS} } }`, { id, c: comment }, { token });
}

export function claimRaw(app: TestApp, token: string, requestId: string): Promise<GqlResult<{ claimApiKey: SecretPayload }>> {
  return gql(app.url, `mutation($id:ID!){ claimApiKey(requestId:$id){ apiKey { ${KEY_FIELDS} } secret replayed notice } }`, { id: requestId }, { token });
}

export async function getKey(app: TestApp, token: string, id: string): Promise<ApiKeyView> {
  return (await gqlOk<{ apiKey: ApiKeyView }>(app.url, `query($id:ID!){ apiKey(id:$id){ ${KEY_FIELDS} } }`, { id }, { token })).apiKey;
}

export async function createApp(app: TestApp, token: string, name: string): Promise<string> {
  const created = await gqlOk<{ createApplication: { id: string } }>(
    app.url,
    'mutation($n:String!){ createApplication(input:{name:$n}){ id } }',
    { n: name },
    { token },
  );
  return created.createApplication.id;
}

export async function setPolicy(app: TestApp, token: string, input: Record<string, unknown>): Promise<void> {
  await gqlOk(app.url, 'mutation($i: UpdateOrganizationPolicyInput!){ updateOrganizationPolicy(input:$i){ recoverableKeysAllowed } }', { i: input }, { token });
}

export function code(r: GqlResult<unknown>): string | undefined {
  return r.errors?.[0]?.extensions?.code as string | undefined;
}

export function fieldPaths(r: GqlResult<unknown>): string[] {
  const fields = (r.errors?.[0]?.extensions?.fields ?? []) as { path: (string | number)[] }[];
  return fields.map((f) => f.path.join('.'));
}

/** A value that passes the custom-key rules and does not look like a generated key. */
export function customValue(): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';
  let s = 'imp-';
  for (let i = 0; i < 40; i++) s += alphabet[Math.floor(Math.random() * alphabet.length)];
  return s;
}

export const inDays = (d: number) => new Date(Date.now() + d * 86_400_000).toISOString();

/** The value, or a test failure naming what was missing (instead of a `!`). */
export function must<T>(v: T | null | undefined, what = 'value'): T {
  if (v === null || v === undefined) throw new Error(`expected ${what}`);
  return v;
}
