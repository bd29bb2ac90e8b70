import { startTestApp, type TestApp } from '../harness/app';
import { gql, gqlOk, type GqlResult } from '../harness/graphql';
import { createUser, dbOf, login, loginOwner, roleId } from './access-helpers';

/**
 * Organization A's strongest caller (its owner, a platform administrator holding *:*)
 * uses organization B's ids in every query and mutation of this domain. Each answer is
 * NOT_FOUND (or an empty list), and no response carries any of B's data.
 */
describe('tenant isolation', () => {
  let app: TestApp;
  let a: string;
  let b: string;
  const B = {
    name: 'Umbrella Isolation Corp',
    email: 'boss@umbrella.test',
    password: 'umbrella secret garden 77',
    appName: 'umbrella-secret-app',
    roleName: 'Umbrella Inspectors',
    desc: 'umbrella-private-description',
  };
  const ids = { user: '', owner: '', role: '', builtinOwnerRole: '', app: '', orgId: '' };
  let aUser: { id: string; token: string };
  let aApp: string;
  const bodies: string[] = [];

  async function asA<T>(query: string, variables: Record<string, unknown> = {}): Promise<GqlResult<T>> {
    const r = await gql<T>(app.url, query, variables, { token: a });
    bodies.push(JSON.stringify(r.data ?? null) + JSON.stringify(r.errors ?? null));
    return r;
  }

  beforeAll(async () => {
    app = await startTestApp();
    a = await loginOwner(app);
    const created = await gqlOk<{ createOrganization: { organization: { id: string }; owner: { id: string } } }>(
      app.url,
      'mutation($i: CreateOrganizationInput!){ createOrganization(input:$i){ organization { id } owner { id } } }',
      { i: { name: B.name, slug: 'umbrella', ownerEmail: B.email, ownerPassword: B.password } },
      { token: a },
    );
    ids.orgId = created.createOrganization.organization.id;
    ids.owner = created.createOrganization.owner.id;
    b = await login(app, B.email, B.password);
    const role = await gqlOk<{ createRole: { id: string } }>(
      app.url,
      'mutation($i: CreateRoleInput!){ createRole(input:$i){ id } }',
      { i: { name: B.roleName, description: B.desc, scopes: ['keys:read'] } },
      { token: b },
    );
    ids.role = role.createRole.id;
    ids.builtinOwnerRole = await roleId(app, b, 'owner');
    ids.user = (await createUser(app, b, ['developer'])).id;
    const application = await gqlOk<{ createApplication: { id: string } }>(
      app.url,
      'mutation($i: CreateApplicationInput!){ createApplication(input:$i){ id } }',
      { i: { name: B.appName, description: B.desc } },
      { token: b },
    );
    ids.app = application.createApplication.id;
    aUser = await createUser(app, a, ['viewer']);
    aApp = (await gqlOk<{ createApplication: { id: string } }>(app.url, 'mutation{ createApplication(input:{name:"a-app"}){ id } }', {}, { token: a })).createApplication.id;
  });
  afterAll(() => app.stop());

  const cases: [string, string, () => Record<string, unknown>][] = [
    ['user(id)', 'query($id:ID!){ user(id:$id){ id email } }', () => ({ id: ids.user })],
    ['user(id) of the other owner', 'query($id:ID!){ user(id:$id){ id email } }', () => ({ id: ids.owner })],
    ['role(id)', 'query($id:ID!){ role(id:$id){ id name } }', () => ({ id: ids.role })],
    ['application(id)', 'query($id:ID!){ application(id:$id){ id name } }', () => ({ id: ids.app })],
    ['checkPermission(principalId)', 'query($p:ID){ checkPermission(scope:"keys:read", principalId:$p){ allowed } }', () => ({ p: ids.user })],
    ['updateUser', 'mutation($id:ID!){ updateUser(id:$id, input:{name:"pwned"}){ id } }', () => ({ id: ids.user })],
    ['disableUser', 'mutation($id:ID!){ disableUser(id:$id){ id } }', () => ({ id: ids.owner })],
    ['updateRole', 'mutation($id:ID!){ updateRole(id:$id, input:{scopes:["*:*"]}){ id } }', () => ({ id: ids.role })],
    ['deleteRole', 'mutation($id:ID!){ deleteRole(id:$id) }', () => ({ id: ids.role })],
    ['updateApplication', 'mutation($id:ID!){ updateApplication(id:$id, input:{name:"pwned"}){ id } }', () => ({ id: ids.app })],
    [
      'createUser with a role of B',
      'mutation($r:[ID!]){ createUser(input:{email:"x1@a.test", password:"plum orchard lantern 7 velvet", roleIds:$r}){ id } }',
      () => ({ r: [ids.builtinOwnerRole] }),
    ],
    ['updateUser to hold a role of B', 'mutation($id:ID!,$r:[ID!]){ updateUser(id:$id, input:{roleIds:$r}){ id } }', () => ({ id: aUser.id, r: [ids.role] })],
    ['createApplication owned by a user of B', 'mutation($o:ID){ createApplication(input:{name:"a-app-2", ownerId:$o}){ id } }', () => ({ o: ids.user })],
    ['updateApplication to an owner of B', 'mutation($id:ID!,$o:ID){ updateApplication(id:$id, input:{ownerId:$o}){ id } }', () => ({ id: aApp, o: ids.user })],
  ];

  it.each(cases)('%s answers NOT_FOUND', async (_name, query, vars) => {
    const r = await asA(query, vars());
    expect(r.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(r.data ?? null).toBeNull();
  });

  it('lists and filters show none of B', async () => {
    const lists = await asA<{ users: { nodes: { id: string }[] }; roles: { nodes: { id: string }[] }; applications: { nodes: { id: string }[] } }>(
      '{ users(first:100){ nodes { id email } } roles(first:100){ nodes { id name } } applications(first:100){ nodes { id name } } }',
    );
    const seen = JSON.stringify(lists.data);
    for (const id of Object.values(ids)) expect(seen).not.toContain(id);
    const byOwner = await asA<{ applications: { nodes: unknown[] } }>('query($o:ID){ applications(ownerId:$o){ nodes { id } } }', { o: ids.user });
    expect(byOwner.data?.applications.nodes).toEqual([]);
    const org = await asA<{ organization: { id: string; name: string } }>('{ organization { id name policy { version } catalogue { customResources } } }');
    expect(org.data?.organization.id).not.toBe(ids.orgId);
  });

  it('a cursor from B does not reveal B', async () => {
    const r = await asA<{ users: { nodes: { id: string }[] } }>('query($c:String){ users(after:$c){ nodes { id } } }', { c: ids.user });
    for (const n of r.data?.users.nodes ?? []) expect(n.id).not.toBe(ids.user);
  });

  it('ids of B planted in A documents resolve to nothing in nested fields and grant nothing', async () => {
    const conn = await dbOf(app);
    try {
      await conn.collection('users').updateOne({ _id: aUser.id as never }, { $set: { roleIds: [ids.builtinOwnerRole] } });
      await conn.collection('applications').updateOne({ _id: aApp as never }, { $set: { ownerId: ids.owner } });
    } finally {
      await conn.close();
    }
    const u = await asA<{ user: { roles: unknown[]; effectiveScopes: string[] } }>('query($id:ID!){ user(id:$id){ roles { id name } effectiveScopes } }', { id: aUser.id });
    expect(u.data?.user).toEqual({ roles: [], effectiveScopes: [] });
    const app2 = await asA<{ application: { owner: unknown } }>('query($id:ID!){ application(id:$id){ owner { id email } } }', { id: aApp });
    expect(app2.data?.application.owner).toBeNull();
    const me = await gqlOk<{ me: { scopes: string[] } }>(app.url, '{ me { scopes } }', {}, { token: aUser.token });
    expect(me.me.scopes).toEqual([]);
  });

  it('policy and catalogue changes stay in their organization', async () => {
    await asA('mutation{ updateOrganizationPolicy(input:{recoverableKeysAllowed:true, expiryWarningDays:[14]}){ version } }');
    await asA('mutation{ updateOrganizationCatalogue(input:{resources:["a-only"], actions:[]}){ id } }');
    const bView = await gqlOk<{
      organization: {
        id: string;
        policy: { recoverableKeysAllowed: boolean; expiryWarningDays: number[]; version: number };
        catalogue: { customResources: string[] };
      };
    }>(
      app.url,
      '{ organization { id policy { recoverableKeysAllowed expiryWarningDays version } catalogue { customResources } } }',
      {},
      { token: b },
    );
    expect(bView.organization).toEqual({ id: ids.orgId, policy: { recoverableKeysAllowed: false, expiryWarningDays: [30, 7, 1], version: 0 }, catalogue: { customResources: [] } });
  });

  it('B is untouched and nothing A received carries B data', async () => {
    const r = await gqlOk<{ role: { name: string; scopes: string[] }; user: { name: string; status: string }; application: { name: string } }>(
      app.url,
      'query($r:ID!,$u:ID!,$a:ID!){ role(id:$r){ name scopes } user(id:$u){ name status } application(id:$a){ name } }',
      { r: ids.role, u: ids.user, a: ids.app },
      { token: b },
    );
    expect(r).toEqual({ role: { name: B.roleName, scopes: ['keys:read'] }, user: { name: '', status: 'active' }, application: { name: B.appName } });
    const all = bodies.join('\n');
    for (const secret of [B.name, B.email, B.appName, B.roleName, B.desc, 'umbrella', ...Object.values(ids)]) expect(all).not.toContain(secret);
  });

  it('only platform administrators create organizations', async () => {
    const r = await gql(app.url, 'mutation{ createOrganization(input:{name:"Nope", ownerEmail:"n@n.test"}){ organization { id } } }', {}, { token: b });
    expect(r.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});
