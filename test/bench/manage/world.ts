import type { Connection } from 'mongoose';
import { apiKeyModel, type ApiKeyDoc } from '../../../server/src/keys/key.model';
import { userModel, type UserDoc } from '../../../server/src/users/user.model';
import { sessionModel, type SessionDoc } from '../../../server/src/sessions/session.model';
import { keyRequestModel, type KeyRequestDoc } from '../../../server/src/requests/request.model';
import { alertModel, type AlertDoc } from '../../../server/src/alerts/alert.model';
import { auditEventModel, type AuditEventDoc } from '../../../server/src/audit/audit.model';
import { LOGIN } from './console-operations';
import { keyVariant, randomHex, seedAuditEvents, seedClones, seedKeys } from './seed-store';

/**
 * Two organizations made through the API (applications, people with sessions, keys, a
 * pending request, an alert), then grown in bulk from those documents (seed-store.ts).
 * Shared by the no-scan test (a few hundred of each) and `npm run bench:manage` (1k–100k keys).
 */

export const OWNER = { email: 'owner@example.test', password: 'correct horse battery staple 42' };
const PASSWORD = 'plum orchard lantern 7 velvet';
const REQUEST_TIMEOUT_MS = 60_000;

export async function call<T = Record<string, unknown>>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  token?: string,
  timeoutMs = REQUEST_TIMEOUT_MS,
): Promise<T> {
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const body = (await res.json()) as { data?: T; errors?: unknown[] };
  if (body.errors?.length || !body.data) throw new Error(`GraphQL ${res.status}: ${JSON.stringify(body.errors).slice(0, 600)}`);
  return body.data;
}

export async function login(url: string, email: string, password: string): Promise<string> {
  return (await call<{ login: { token: string } }>(url, LOGIN, { e: email, p: password })).login.token;
}

export interface Person {
  id: string;
  email: string;
  password: string;
  token: string;
}

export interface OrgWorld {
  orgId: string;
  owner: Person;
  developer: Person;
  approver: Person;
  applicationIds: string[];
  /** A key made by createApiKey (the template of the seeded ones), and its secret. */
  keyId: string;
  keySecret: string;
  /** A key holding keys:verify, for POST /v1/keys/verify. */
  verifierSecret: string;
  requestId: string;
  alertId: string;
  /** Every key id of the organization, seeded ones included. */
  keyIds: string[];
  /** Seeded keys whose status is active (what the benchmark updates, rotates and revokes). */
  activeKeyIds: string[];
  /** How many keys were seeded so far: the next seeded key continues the population there. */
  seededKeys: number;
  userIds: string[];
}

const KEY_INPUT = (name: string, applicationId: string, scopes: string[]) => ({
  name, type: 'application', subtype: 'service', applicationId, permissionLevel: 'custom', scopes, tags: ['team-0'],
  rateLimit: { perSecond: 100000, perMinute: 1000000 },
});

async function person(url: string, adminToken: string, role: string, tag: string): Promise<Person> {
  const roles = await call<{ roles: { nodes: { id: string; name: string }[] } }>(url, '{ roles(first: 100) { nodes { id name } } }', {}, adminToken);
  const roleId = roles.roles.nodes.find((r) => r.name === role)?.id;
  const email = `${role}.${tag}.${Date.now().toString(36)}@example.test`;
  const d = await call<{ createUser: { id: string } }>(
    url,
    'mutation($i: CreateUserInput!){ createUser(input:$i){ id } }',
    { i: { email, password: PASSWORD, roleIds: roleId ? [roleId] : [] } },
    adminToken,
  );
  return { id: d.createUser.id, email, password: PASSWORD, token: await login(url, email, PASSWORD) };
}

async function verify(url: string, verifierSecret: string, key: string, ip: string): Promise<void> {
  const res = await fetch(`${url}/v1/keys/verify`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${verifierSecret}` },
    body: JSON.stringify({ key, ip }),
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  await res.arrayBuffer();
}

/** One organization's documents, made through the API as a person would. */
async function buildOrg(url: string, owner: Person, tag: string): Promise<OrgWorld> {
  const me = await call<{ me: { orgId: string } }>(url, '{ me { orgId } }', {}, owner.token);
  const applicationIds: string[] = [];
  for (const n of ['storefront', 'warehouse', 'partner-api']) {
    const d = await call<{ createApplication: { id: string } }>(
      url,
      'mutation($i: CreateApplicationInput!){ createApplication(input:$i){ id } }',
      { i: { name: `${n}-${tag}` } },
      owner.token,
    );
    applicationIds.push(d.createApplication.id);
  }
  const developer = await person(url, owner.token, 'developer', tag);
  const approver = await person(url, owner.token, 'approver', tag);
  const appId = applicationIds[0] as string;
  const mk = async (name: string, scopes: string[]) =>
    (
      await call<{ createApiKey: { apiKey: { id: string }; secret: string } }>(
        url,
        'mutation($i: CreateApiKeyInput!){ createApiKey(input:$i){ apiKey { id } secret } }',
        { i: KEY_INPUT(name, appId, scopes) },
        owner.token,
      )
    ).createApiKey;
  const key = await mk(`template-${tag}`, ['applications:read']);
  const verifier = await mk(`verifier-${tag}`, ['keys:verify']);
  const req = await call<{ requestApiKey: { id: string } }>(
    url,
    'mutation($i: RequestApiKeyInput!){ requestApiKey(input:$i){ id } }',
    { i: { ...KEY_INPUT(`requested-${tag}`, appId, ['applications:read']), justification: 'integration for the warehouse' } },
    developer.token,
  );
  // An alert as verification raises it: the key seen from networks it never used.
  await verify(url, verifier.secret, key.secret, '10.0.1.1');
  let alertId: string | undefined;
  for (let i = 2; i < 40 && !alertId; i++) {
    await new Promise((r) => setTimeout(r, 500));
    await verify(url, verifier.secret, key.secret, `10.${i}.1.1`);
    const a = await call<{ alerts: { nodes: { id: string }[] } }>(url, '{ alerts(first: 1) { nodes { id } } }', {}, owner.token);
    alertId = a.alerts.nodes[0]?.id;
  }
  if (!alertId) throw new Error(`no alert was raised in organization ${tag}`);
  return {
    orgId: me.me.orgId, owner, developer, approver, applicationIds, keyId: key.apiKey.id, keySecret: key.secret, verifierSecret: verifier.secret,
    requestId: req.requestApiKey.id, alertId, keyIds: [key.apiKey.id, verifier.apiKey.id], activeKeyIds: [], seededKeys: 0,
    userIds: [owner.id, developer.id, approver.id],
  };
}

/** The seeded first-start organization (A) and a second one (B), each with its API-made documents. */
export async function buildWorld(url: string): Promise<{ a: OrgWorld; b: OrgWorld }> {
  const ownerA = { id: '', email: OWNER.email, password: OWNER.password, token: await login(url, OWNER.email, OWNER.password) };
  ownerA.id = (await call<{ me: { id: string } }>(url, '{ me { id } }', {}, ownerA.token)).me.id;
  const b = { email: `owner.${Date.now().toString(36)}@umbrella.test`, password: 'umbrella secret garden 77' };
  const org = await call<{ createOrganization: { owner: { id: string } } }>(
    url,
    'mutation($i: CreateOrganizationInput!){ createOrganization(input:$i){ owner { id } } }',
    { i: { name: 'Umbrella Scale Corp', slug: `umbrella-${Date.now().toString(36)}`, ownerEmail: b.email, ownerPassword: b.password } },
    ownerA.token,
  );
  const ownerB = { id: org.createOrganization.owner.id, ...b, token: await login(url, b.email, b.password) };
  return { a: await buildOrg(url, ownerA, 'a'), b: await buildOrg(url, ownerB, 'b') };
}

export interface Growth {
  keys?: number;
  users?: number;
  sessions?: number;
  requests?: number;
  alerts?: number;
  auditEvents?: number;
}

/** Adds `g` documents to the organization, cloned from the ones the API made. */
export async function grow(conn: Connection, org: OrgWorld, g: Growth, pepper: string): Promise<void> {
  const byId = async <T>(m: { findOne(q: object): { lean<R>(): PromiseLike<R | null> } }, id: string, what: string): Promise<T> => {
    const d = await m.findOne({ _id: id }).lean<T>();
    if (!d) throw new Error(`no ${what} ${id} to clone`);
    return d;
  };
  if (g.users) {
    const user = await byId<UserDoc>(userModel(conn), org.developer.id, 'user');
    const ids = await seedClones(userModel(conn), user, g.users, 'usr', (i, at) => ({
      email: `seeded.${i}.${randomHex().slice(0, 8)}@example.test`,
      name: `Seeded Person ${i}`,
      createdAt: at,
      updatedAt: at,
      lastLoginAt: null,
    }));
    org.userIds.push(...ids);
  }
  if (g.sessions) {
    const session = await sessionModel(conn).findOne({ userId: org.developer.id }).lean<SessionDoc>();
    if (!session) throw new Error('no session to clone');
    const day = 86_400_000;
    await seedClones(sessionModel(conn), session, g.sessions, 'ses', (i, at) => ({
      tokenHash: randomHex(),
      userId: org.userIds[i % org.userIds.length],
      createdAt: at,
      expiresAt: new Date(Date.now() + day),
      revokedAt: null,
    }));
  }
  if (g.keys) {
    const template = await byId<ApiKeyDoc>(apiKeyModel(conn), org.keyId, 'key');
    const from = org.seededKeys;
    const variants = Array.from({ length: g.keys }, (_, j) => keyVariant(from + j, { applicationIds: org.applicationIds, ownerIds: org.userIds }));
    const ids = await seedKeys(conn, { template, pepper, variants });
    org.keyIds.push(...ids);
    org.activeKeyIds.push(...ids.filter((_, j) => variants[j]?.status === 'active'));
    org.seededKeys += g.keys;
  }
  if (g.requests) {
    const request = await byId<KeyRequestDoc>(keyRequestModel(conn), org.requestId, 'key request');
    await seedClones(keyRequestModel(conn), request, g.requests, 'req', (i, at) => ({
      requesterId: org.userIds[i % org.userIds.length], requestedBy: org.userIds[i % org.userIds.length], createdAt: at, updatedAt: at,
      spec: { ...request.spec, name: `requested-${i}` },
      ...(i % 4 === 3 ? { status: 'rejected' as const, rejection: { userId: org.owner.id, reason: 'seeded', at } } : {}),
    }));
  }
  if (g.alerts) {
    const alert = await byId<AlertDoc>(alertModel(conn), org.alertId, 'alert');
    const statuses = ['open', 'open', 'acknowledged', 'resolved'] as const;
    await seedClones(alertModel(conn), alert, g.alerts, 'alr', (i, at) => ({
      dedupeKey: `seeded:${i}:${randomHex().slice(0, 8)}`, keyId: org.keyIds[i % org.keyIds.length], status: statuses[i % 4], firstSeen: at, lastSeen: at, createdAt: at,
    }));
  }
  if (g.auditEvents) {
    const template = await auditEventModel(conn).findOne({ orgId: org.orgId, 'target.id': org.keyId }).lean<AuditEventDoc>();
    if (!template) throw new Error('no audit event of the template key to clone');
    await seedAuditEvents(conn, { template, count: g.auditEvents, targets: org.keyIds });
  }
}
