import { startTestApp, type TestApp } from '../harness/app';
import { errorCode, gql, gqlOk } from '../harness/graphql';
import { loginOwner } from './access-helpers';

type Fields = { path: (string | number)[]; message: string }[];

describe('input validation', () => {
  let app: TestApp;
  let owner: string;
  beforeAll(async () => {
    app = await startTestApp();
    owner = await loginOwner(app);
  });
  afterAll(() => app.stop());

  it('an object where a string belongs ({"$ne": null}) is refused before any resolver runs', async () => {
    const LOGIN = 'mutation($e:String!,$p:String!){ login(email:$e, password:$p){ token } }';
    for (const vars of [{ e: { $ne: null }, p: 'x' }, { e: 'owner@example.test', p: { $ne: null } }, { e: ['owner@example.test'], p: 'x' }]) {
      const r = await gql(app.url, LOGIN, vars);
      expect(r.status).toBe(400);
      expect(errorCode(r)).toBe('BAD_USER_INPUT');
      expect(r.data).toBeUndefined();
    }
    const ids = await gql(app.url, 'query($id:ID!){ user(id:$id){ id } }', { id: { $gt: '' } }, { token: owner });
    expect(errorCode(ids)).toBe('BAD_USER_INPUT');
    const nested = await gql(app.url, 'mutation($i: CreateRoleInput!){ createRole(input:$i){ id } }', { i: { name: { $ne: null }, scopes: [] } }, { token: owner });
    expect(errorCode(nested)).toBe('BAD_USER_INPUT');
  });

  it('createUser reports every bad field with its path', async () => {
    const r = await gql(
      app.url,
      'mutation($i: CreateUserInput!){ createUser(input:$i){ id } }',
      { i: { email: 'not-an-email', name: 'x'.repeat(101), password: 'short', roleIds: ['nope'], scopes: ['x'.repeat(201)] } },
      { token: owner },
    );
    expect(errorCode(r)).toBe('BAD_USER_INPUT');
    const fields = r.errors?.[0]?.extensions?.fields as Fields;
    expect(fields.map((f) => f.path.join('.')).sort()).toEqual(['input.email', 'input.name', 'input.password', 'input.roleIds.0', 'input.scopes.0']);
    expect(fields.find((f) => f.path[1] === 'name')?.message).toBe('must be at most 100 characters');
  });

  it('a weak password is refused with the reason on input.password', async () => {
    const r = await gql(
      app.url,
      'mutation($i: CreateUserInput!){ createUser(input:$i){ id } }',
      { i: { email: 'jane.doe@example.test', password: 'jane.doe.rocks.1987' } },
      { token: owner },
    );
    expect(r.errors?.[0]?.extensions).toEqual({
      code: 'BAD_USER_INPUT',
      fields: [{ path: ['input', 'password'], message: 'must not contain the name part of your email address' }],
    });
  });

  it('ids must look like ids', async () => {
    const r = await gql(app.url, 'query($id:ID!){ role(id:$id){ id } }', { id: 'usr_abc' }, { token: owner });
    expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ path: ['id'] }] });
    const bad = await gql(
      app.url,
      'mutation($r:[ID!]){ createUser(input:{email:"v@example.test", password:"plum orchard lantern 7 velvet", roleIds:$r}){ id } }',
      { r: ['role_ok', 'DROP TABLE'] },
      { token: owner },
    );
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ path: ['input', 'roleIds', 1] }] });
  });

  it('page sizes and cursors are bounded', async () => {
    for (const [vars, path] of [[{ f: 0 }, 'first'], [{ f: 101 }, 'first'], [{ a: 'x'.repeat(200) }, 'after'], [{ a: 'not a cursor' }, 'after']] as const) {
      const r = await gql(app.url, 'query($f:Int,$a:String){ users(first:$f, after:$a){ nodes { id } } }', vars, { token: owner });
      expect(errorCode(r)).toBe('BAD_USER_INPUT');
      expect((r.errors?.[0]?.extensions?.fields as Fields).every((f) => f.path.join('.') === path)).toBe(true);
    }
  });

  it('application inputs are checked field by field', async () => {
    const r = await gql(
      app.url,
      'mutation($i: CreateApplicationInput!){ createApplication(input:$i){ id } }',
      { i: { name: '   ', description: 'd'.repeat(1001), environments: ['production', 'moon'] } },
      { token: owner },
    );
    const fields = r.errors?.[0]?.extensions?.fields as Fields;
    expect(fields.map((f) => f.path.join('.')).sort()).toEqual(['input.description', 'input.environments.1', 'input.name']);
  });

  it('the organization policy is validated with field paths', async () => {
    const r = await gql(
      app.url,
      'mutation($i: UpdateOrganizationPolicyInput!){ updateOrganizationPolicy(input:$i){ version } }',
      {
        i: {
          approvalRules: [
            { keyType: 'system', subtype: 'admin', approvals: 0 },
            { keyType: 'user', subtype: 'backup', approvals: 6 },
          ],
          defaultRateLimit: { perSecond: 0 },
          expiryWarningDays: [],
        },
      },
      { token: owner },
    );
    const fields = r.errors?.[0]?.extensions?.fields as Fields;
    expect(fields.map((f) => f.path.join('.')).sort()).toEqual([
      'input.approvalRules.0.approvals',
      'input.approvalRules.1.approvals',
      'input.approvalRules.1.subtype',
      'input.defaultRateLimit.perSecond',
      'input.expiryWarningDays',
    ]);
  });

  it('null for an optional field means "leave it"', async () => {
    const created = await gqlOk<{ createApplication: { id: string; description: string } }>(
      app.url,
      'mutation{ createApplication(input:{name:"nullable", description:null, ownerId:null, environments:null}){ id description environments } }',
      {},
      { token: owner },
    );
    expect(created.createApplication.description).toBe('');
  });
});
