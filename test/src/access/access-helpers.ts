import mongoose, { type Connection } from 'mongoose';
import type { TestApp } from '../harness/app';
import { gql, gqlOk } from '../harness/graphql';

export const OWNER = { email: 'owner@example.test', password: 'correct horse battery staple 42' };

export async function login(app: TestApp, email: string, password: string): Promise<string> {
  const d = await gqlOk<{ login: { token: string } }>(app.url, 'mutation($e:String!,$p:String!){ login(email:$e, password:$p){ token } }', { e: email, p: password });
  return d.login.token;
}

export function loginOwner(app: TestApp): Promise<string> {
  return login(app, OWNER.email, OWNER.password);
}

/** Id of a role of the caller's organization by name. */
export async function roleId(app: TestApp, token: string, name: string): Promise<string> {
  const d = await gqlOk<{ roles: { nodes: { id: string; name: string }[] } }>(app.url, '{ roles(first: 100) { nodes { id name } } }', {}, { token });
  const r = d.roles.nodes.find((n) => n.name === name);
  if (!r) throw new Error(`no role ${name}`);
  return r.id;
}

let counter = 0;

/** Creates a user holding the named roles and returns its id, email, password and a session token. */
export async function createUser(
  app: TestApp,
  adminToken: string,
  roles: string[],
  scopes: string[] = [],
): Promise<{ id: string; email: string; password: string; token: string }> {
  const roleIds = await Promise.all(roles.map((r) => roleId(app, adminToken, r)));
  const email = `person${++counter}.${Date.now().toString(36)}@example.test`;
  const password = 'plum orchard lantern 7 velvet';
  const d = await gqlOk<{ createUser: { id: string } }>(
    app.url,
    'mutation($i: CreateUserInput!){ createUser(input: $i){ id } }',
    { i: { email, password, roleIds, scopes } },
    { token: adminToken },
  );
  return { id: d.createUser.id, email, password, token: await login(app, email, password) };
}

/** A direct connection to the app's database, for tests that must reach behind the API; closed by app.stop(). */
export async function dbOf(app: TestApp): Promise<Connection> {
  const conn = await mongoose.createConnection(app.config.MONGODB_URI, { dbName: app.config.MONGODB_DB }).asPromise();
  app.closeOnStop(() => conn.close());
  return conn;
}

export { gql, gqlOk };

interface AuditLike {
  list(
    orgId: string,
    filter?: { action?: string },
    page?: { first?: number },
  ): Promise<{
    nodes: {
      action: string;
      actor: { type: string; id: string };
      target: { type: string; id: string };
      ip: string | null;
      requestId: string | null;
      after: Record<string, unknown> | null;
    }[];
  }>;
}

/** Audit events of an organization with one action, via the registered audit service. */
export async function auditEvents(app: TestApp, orgId: string, action: string) {
  const audit = (app.server.services as unknown as { audit?: AuditLike }).audit;
  if (!audit) throw new Error('no audit service registered');
  return (await audit.list(orgId, { action }, { first: 200 })).nodes;
}

export async function meOf(app: TestApp, token: string): Promise<{ id: string; orgId: string }> {
  return (await gqlOk<{ me: { id: string; orgId: string } }>(app.url, '{ me { id orgId } }', {}, { token })).me;
}
