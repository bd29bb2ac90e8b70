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
export async function createUser(app: TestApp, adminToken: string, roles: string[], scopes: string[] = []): Promise<{ id: string; email: string; password: string; token: string }> {
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

/** A direct connection to the app's database, for tests that must reach behind the API. */
export async function dbOf(app: TestApp): Promise<Connection> {
  return mongoose.createConnection(app.config.MONGODB_URI, { dbName: app.config.MONGODB_DB }).asPromise();
}

export { gql, gqlOk };
