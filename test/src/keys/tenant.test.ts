import { startTestApp, type TestApp } from '../harness/app';
import { gql, gqlOk } from '../harness/graphql';
import { approveRaw, code, createApp, createKey, createUser, login, loginOwner, requestKey, roleId } from './key-helpers';

/**
 * Organization A's owner (a platform administrator holding *:*) uses organization B's
 * key, request, application, user and role ids everywhere: every answer is NOT_FOUND
 * or an empty list, and nothing of B's shows up.
 */
describe('keys: tenant isolation', () => {
  let app: TestApp;
  let a: string;
  let b: string;
  const ids = { key: '', request: '', pending: '', app: '', user: '', role: '' };
  let aApp: string;

  beforeAll(async () => {
    app = await startTestApp();
    a = await loginOwner(app);
    await gqlOk(
      app.url,
      'mutation{ createOrganization(input:{name:"Initech Keys", slug:"initech-keys", ownerEmail:"boss@initech.test", ownerPassword:"initech stapler basement 9"}){ ' +
        'organization { id } } }',
      {},
      { token: a },
    );
    b = await login(app, 'boss@initech.test', 'initech stapler basement 9');
    ids.app = await createApp(app, b, 'initech-app');
    ids.key = (await createKey(app, b, { name: 'initech-secret-key', type: 'application', subtype: 'service', applicationId: ids.app, scopes: ['keys:read'] })).apiKey.id;
    const bUser = await createUser(app, b, ['admin']);
    ids.user = bUser.id;
    ids.role = await roleId(app, b, 'viewer');
    ids.request = (await requestKey(app, bUser.token, { name: 'initech-request', type: 'system', subtype: 'backup', scopes: ['keys:read'] })).id;
    await approveRaw(app, b, ids.request);
    ids.pending = (await requestKey(app, bUser.token, { name: 'initech-pending', type: 'system', subtype: 'backup', scopes: ['keys:read'] })).id;
    aApp = await createApp(app, a, 'a-app');
  });
  afterAll(() => app.stop());

  const notFound: [string, string, () => Record<string, unknown>][] = [
    ['apiKey', 'query($id:ID!){ apiKey(id:$id){ id name } }', () => ({ id: ids.key })],
    ['updateApiKey', 'mutation($id:ID!){ updateApiKey(id:$id, input:{name:"pwned"}){ id } }', () => ({ id: ids.key })],
    ['renewApiKey', 'mutation($id:ID!){ renewApiKey(id:$id, expiresAt:"2099-01-01T00:00:00Z"){ id } }', () => ({ id: ids.key })],
    ['rotateApiKey', 'mutation($id:ID!){ rotateApiKey(id:$id){ secret } }', () => ({ id: ids.key })],
    ['revokeApiKey', 'mutation($id:ID!){ revokeApiKey(id:$id){ id } }', () => ({ id: ids.key })],
    ['suspendApiKey', 'mutation($id:ID!){ suspendApiKey(id:$id){ id } }', () => ({ id: ids.key })],
    ['reactivateApiKey', 'mutation($id:ID!){ reactivateApiKey(id:$id){ id } }', () => ({ id: ids.key })],
    ['revealApiKey', 'mutation($id:ID!){ revealApiKey(id:$id){ secret } }', () => ({ id: ids.key })],
    ['keyRequest', 'query($id:ID!){ keyRequest(id:$id){ id } }', () => ({ id: ids.request })],
    ['approveKeyRequest', 'mutation($id:ID!){ approveKeyRequest(id:$id){ id } }', () => ({ id: ids.pending })],
    ['rejectKeyRequest', 'mutation($id:ID!){ rejectKeyRequest(id:$id, reason:"no"){ id } }', () => ({ id: ids.pending })],
    ['claimApiKey', 'mutation($id:ID!){ claimApiKey(requestId:$id){ secret } }', () => ({ id: ids.request })],
    ['reissueKeyClaim', 'mutation($id:ID!){ reissueKeyClaim(requestId:$id){ id } }', () => ({ id: ids.request })],
    [
      'createApiKey for an application of B',
      'mutation($app:ID){ createApiKey(input:{name:"x", type:"application", subtype:"service", applicationId:$app, scopes:["keys:read"]}){ secret } }',
      () => ({ app: ids.app }),
    ],
    [
      'createApiKey for a user of B',
      'mutation($u:ID){ createApiKey(input:{name:"x", type:"user", subtype:"personal", ownerId:$u, scopes:["keys:read"]}){ secret } }',
      () => ({ u: ids.user }),
    ],
    [
      'createApiKey with a role of B',
      'mutation($app:ID,$r:[ID!]){ createApiKey(input:{name:"x", type:"application", subtype:"service", applicationId:$app, roleIds:$r}){ secret } }',
      () => ({ app: aApp, r: [ids.role] }),
    ],
  ];

  it.each(notFound)('%s with an id of another organization is NOT_FOUND', async (_name, query, vars) => {
    const r = await gql(app.url, query, vars(), { token: a });
    expect(code(r)).toBe('NOT_FOUND');
    expect(JSON.stringify(r)).not.toContain('initech');
  });

  it('lists show nothing of the other organization', async () => {
    const keys = await gqlOk<{ apiKeys: { nodes: { id: string }[]; totalCount: number } }>(app.url, '{ apiKeys(first: 100){ nodes { id name } totalCount } }', {}, { token: a });
    expect(keys.apiKeys.nodes.map((n) => n.id)).not.toContain(ids.key);
    const byApp = await gqlOk<{ apiKeys: { nodes: unknown[] } }>(app.url, 'query($a:ID){ apiKeys(filter:{applicationId:$a}){ nodes { id } } }', { a: ids.app }, { token: a });
    expect(byApp.apiKeys.nodes).toEqual([]);
    const reqs = await gqlOk<{ keyRequests: { nodes: { id: string }[] } }>(app.url, '{ keyRequests(first: 100){ nodes { id } } }', {}, { token: a });
    expect(reqs.keyRequests.nodes.map((n) => n.id)).not.toEqual(expect.arrayContaining([ids.request]));
    // B still sees its own.
    const own = await gqlOk<{ apiKey: { name: string } }>(app.url, 'query($id:ID!){ apiKey(id:$id){ name } }', { id: ids.key }, { token: b });
    expect(own.apiKey.name).toBe('initech-secret-key');
  });
});
