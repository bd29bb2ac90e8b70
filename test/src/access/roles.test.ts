import { Topic } from '@latchkey/schema';
import { startTestApp, type TestApp } from '../harness/app';
import { errorCode, gql, gqlOk } from '../harness/graphql';
import { auditEvents, createUser, loginOwner, meOf, roleId } from './access-helpers';

const CREATE = 'mutation($i: CreateRoleInput!){ createRole(input: $i){ id name scopes builtin } }';
const UPDATE = 'mutation($id: ID!, $i: UpdateRoleInput!){ updateRole(id: $id, input: $i){ id scopes } }';
const DELETE = 'mutation($id: ID!){ deleteRole(id: $id) }';
const CHECK = 'query($s: String){ checkPermission(scope: $s){ allowed matchedScope missingScope reason requirement principalId } }';

describe('roles', () => {
  let app: TestApp;
  let owner: string;
  beforeAll(async () => {
    app = await startTestApp();
    owner = await loginOwner(app);
  });
  afterAll(() => app.stop());

  it('every organization starts with the five built-in roles', async () => {
    const d = await gqlOk<{ roles: { nodes: { name: string; builtin: string | null; scopes: string[] }[] } }>(
      app.url,
      '{ roles { nodes { name builtin scopes } } }',
      {},
      { token: owner },
    );
    expect(d.roles.nodes.map((r) => r.builtin).sort()).toEqual(['admin', 'approver', 'developer', 'owner', 'viewer']);
    expect(d.roles.nodes.find((r) => r.name === 'owner')?.scopes).toEqual(['*:*']);
    expect(d.roles.nodes.find((r) => r.name === 'developer')?.scopes).toEqual(expect.arrayContaining(['keys:request', 'keys:read', 'applications:read', 'analytics:read']));
  });

  it('editing a role changes what its holders may do on their very next request', async () => {
    const role = (await gqlOk<{ createRole: { id: string } }>(app.url, CREATE, { i: { name: 'Deployers', scopes: ['applications:read'] } }, { token: owner })).createRole;
    const u = await createUser(app, owner, []);
    await gqlOk(app.url, 'mutation($id:ID!,$r:[ID!]){ updateUser(id:$id, input:{roleIds:$r}){ id } }', { id: u.id, r: [role.id] }, { token: owner });
    const before = await gqlOk<{ checkPermission: { allowed: boolean } }>(app.url, CHECK, { s: 'applications:deploy:app_1' }, { token: u.token });
    expect(before.checkPermission.allowed).toBe(false);
    expect(errorCode(await gql(app.url, '{ applications { nodes { id } } }', {}, { token: u.token }))).toBeUndefined();

    const announced: unknown[] = [];
    const unsubscribe = await app.server.services.pubsub.subscribe(Topic.keyChanged, (m) => announced.push(m));
    await gqlOk(app.url, UPDATE, { id: role.id, i: { scopes: ['applications:deploy'] } }, { token: owner });
    const { orgId } = await meOf(app, owner);
    for (let i = 0; i < 50 && announced.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    await unsubscribe();
    // API keys holding the role may be cached on other nodes: they are told to drop them.
    expect(announced).toEqual([expect.objectContaining({ orgId, allOfOrg: true })]);
    const after = await gqlOk<{ checkPermission: { allowed: boolean; matchedScope: string } }>(app.url, CHECK, { s: 'applications:deploy:app_1' }, { token: u.token });
    expect(after.checkPermission).toMatchObject({ allowed: true, matchedScope: 'applications:deploy' });
    const denied = await gql(app.url, '{ applications { nodes { id } } }', {}, { token: u.token });
    expect(denied.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', missingScope: 'applications:read' });
  });

  it('a role still held by someone cannot be deleted; once released it can', async () => {
    const role = (await gqlOk<{ createRole: { id: string } }>(app.url, CREATE, { i: { name: 'Temporary', scopes: ['keys:read'] } }, { token: owner })).createRole;
    const u = await createUser(app, owner, []);
    await gqlOk(app.url, 'mutation($id:ID!,$r:[ID!]){ updateUser(id:$id, input:{roleIds:$r}){ id } }', { id: u.id, r: [role.id] }, { token: owner });
    const refused = await gql(app.url, DELETE, { id: role.id }, { token: owner });
    expect(errorCode(refused)).toBe('INVALID_STATE');
    expect(refused.errors?.[0]?.message).toBe('role Temporary is still held by 1 user; remove it from them before deleting it');
    await gqlOk(app.url, 'mutation($id:ID!){ updateUser(id:$id, input:{roleIds:[]}){ id } }', { id: u.id }, { token: owner });
    expect((await gqlOk<{ deleteRole: string }>(app.url, DELETE, { id: role.id }, { token: owner })).deleteRole).toBe(role.id);
    expect(errorCode(await gql(app.url, 'query($id:ID!){ role(id:$id){ id } }', { id: role.id }, { token: owner }))).toBe('NOT_FOUND');
    const { orgId } = await meOf(app, owner);
    expect((await auditEvents(app, orgId, 'role.deleted')).some((e) => e.target.id === role.id)).toBe(true);
  });

  it('built-in roles cannot be edited or deleted', async () => {
    const viewer = await roleId(app, owner, 'viewer');
    expect(errorCode(await gql(app.url, UPDATE, { id: viewer, i: { scopes: ['*:*'] } }, { token: owner }))).toBe('INVALID_STATE');
    expect(errorCode(await gql(app.url, DELETE, { id: viewer }, { token: owner }))).toBe('INVALID_STATE');
  });

  it('nobody grants what they do not hold', async () => {
    const admin = await createUser(app, owner, ['admin']);
    const r = await gql(app.url, CREATE, { i: { name: 'Sneaky', scopes: ['organization:admin'] } }, { token: admin.token });
    expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', missingScope: 'organization:admin' });
    const ownerRole = await roleId(app, owner, 'owner');
    const escalate = await gql(app.url, 'mutation($id:ID!,$r:[ID!]){ updateUser(id:$id, input:{roleIds:$r}){ id } }', { id: admin.id, r: [ownerRole] }, { token: admin.token });
    expect(errorCode(escalate)).toBe('FORBIDDEN');
    const wide = await gql(
      app.url,
      'mutation($i: CreateUserInput!){ createUser(input:$i){ id } }',
      { i: { email: 'wide@example.test', password: 'plum orchard lantern 7 velvet', scopes: ['*:*'] } },
      { token: admin.token },
    );
    expect(errorCode(wide)).toBe('FORBIDDEN');
    // Nor manage someone who holds more than they do.
    const { me } = await gqlOk<{ me: { id: string } }>(app.url, '{ me { id } }', {}, { token: owner });
    expect(errorCode(await gql(app.url, 'mutation($id:ID!){ disableUser(id:$id){ id } }', { id: me.id }, { token: admin.token }))).toBe('FORBIDDEN');
    // What they do hold, they may grant.
    await gqlOk(app.url, CREATE, { i: { name: 'Key approvers', scopes: ['keys:approve', 'keys:read'] } }, { token: admin.token });
  });

  it('a developer cannot manage roles at all', async () => {
    const dev = await createUser(app, owner, ['developer']);
    const r = await gql(app.url, CREATE, { i: { name: 'Mine', scopes: ['keys:read'] } }, { token: dev.token });
    expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', missingScope: 'roles:write' });
  });

  it('scopes must name the catalogue; the owner can extend it', async () => {
    const bad = await gql(app.url, CREATE, { i: { name: 'Billing', scopes: ['keys:read', 'billing:read', 'Not A Scope'] } }, { token: owner });
    expect(bad.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: [
        { path: ['input', 'scopes', 1], message: 'unknown resource "billing"' },
        { path: ['input', 'scopes', 2], message: expect.stringContaining('is not a scope') },
      ],
    });
    const cat = await gqlOk<{ updateOrganizationCatalogue: { catalogue: { resources: string[]; customResources: string[] } } }>(
      app.url,
      'mutation($i: UpdateOrganizationCatalogueInput!){ updateOrganizationCatalogue(input:$i){ catalogue { resources customResources } } }',
      { i: { resources: ['billing', 'keys'], actions: ['refund'] } },
      { token: owner },
    );
    expect(cat.updateOrganizationCatalogue.catalogue.customResources).toEqual(['billing']);
    expect(cat.updateOrganizationCatalogue.catalogue.resources).toEqual(expect.arrayContaining(['keys', 'audit', 'billing']));
    await gqlOk(app.url, CREATE, { i: { name: 'Billing', scopes: ['billing:read', 'billing:refund'] } }, { token: owner });
    const dup = await gql(app.url, CREATE, { i: { name: 'Billing', scopes: [] } }, { token: owner });
    expect(dup.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ path: ['input', 'name'], message: 'is already taken' }] });
  });

  it('checkPermission explains decisions for the caller or another principal', async () => {
    const dev = await createUser(app, owner, ['developer']);
    const mine = await gqlOk<{ checkPermission: Record<string, unknown> }>(app.url, CHECK, { s: 'keys:approve' }, { token: dev.token });
    expect(mine.checkPermission).toEqual({
      allowed: false,
      matchedScope: null,
      missingScope: 'keys:approve',
      reason: 'missing scope keys:approve',
      requirement: 'keys:approve',
      principalId: dev.id,
    });
    const q = 'query($r:String,$a:String,$id:String,$p:ID){ checkPermission(resource:$r, action:$a, resourceId:$id, principalId:$p){ allowed matchedScope principalId } }';
    const theirs = await gqlOk<{ checkPermission: Record<string, unknown> }>(app.url, q, { r: 'keys', a: 'read', id: 'key_1', p: dev.id }, { token: owner });
    expect(theirs.checkPermission).toEqual({ allowed: true, matchedScope: 'keys:read', principalId: dev.id });
    // A developer may not look at someone else's permissions.
    expect(errorCode(await gql(app.url, q, { r: 'keys', a: 'read', p: dev.id }, { token: dev.token }))).toBeUndefined();
    const { me } = await gqlOk<{ me: { id: string } }>(app.url, '{ me { id } }', {}, { token: owner });
    expect(errorCode(await gql(app.url, q, { r: 'keys', a: 'read', p: me.id }, { token: dev.token }))).toBe('FORBIDDEN');
    const neither = await gql(app.url, 'query { checkPermission { allowed } }', {}, { token: owner });
    expect(neither.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ path: ['resource'] }, { path: ['action'] }] });
  });
});
