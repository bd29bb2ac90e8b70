import { startTestApp, type TestApp } from '../harness/app';
import { errorCode, gql, gqlOk } from '../harness/graphql';
import { auditEvents, createUser, loginOwner, meOf } from './access-helpers';

const APP_FIELDS = 'id name description ownerId environments owner { id email }';

describe('applications', () => {
  let app: TestApp;
  let owner: string;
  beforeAll(async () => {
    app = await startTestApp();
    owner = await loginOwner(app);
  });
  afterAll(() => app.stop());

  it('creates, updates and lists applications page by page', async () => {
    const dev = await createUser(app, owner, ['developer']);
    const created = await gqlOk<{ createApplication: Record<string, unknown> & { id: string } }>(
      app.url,
      `mutation($i: CreateApplicationInput!){ createApplication(input:$i){ ${APP_FIELDS} } }`,
      { i: { name: 'billing-api', description: 'Charges cards', environments: ['staging', 'production'], ownerId: dev.id } },
      { token: owner },
    );
    expect(created.createApplication).toMatchObject({ name: 'billing-api', ownerId: dev.id, environments: ['staging', 'production'], owner: { id: dev.id, email: dev.email } });
    const updated = await gqlOk<{ updateApplication: { name: string; description: string } }>(
      app.url,
      'mutation($id:ID!){ updateApplication(id:$id, input:{description:"Charges cards and refunds"}){ name description } }',
      { id: created.createApplication.id },
      { token: owner },
    );
    expect(updated.updateApplication).toEqual({ name: 'billing-api', description: 'Charges cards and refunds' });
    for (const n of ['a1', 'a2', 'a3', 'a4']) await gqlOk(app.url, 'mutation($n:String!){ createApplication(input:{name:$n}){ id } }', { n }, { token: owner });
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page: { applications: { nodes: { name: string }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } } = await gqlOk(
        app.url,
        'query($a:String){ applications(first:2, after:$a){ nodes { name } pageInfo { hasNextPage endCursor } } }',
        { a: after },
        { token: dev.token },
      );
      seen.push(...page.applications.nodes.map((n) => n.name));
      if (!page.applications.pageInfo.hasNextPage) break;
      after = page.applications.pageInfo.endCursor;
    }
    expect(seen).toEqual(['billing-api', 'a1', 'a2', 'a3', 'a4']);
    const { orgId } = await meOf(app, owner);
    expect((await auditEvents(app, orgId, 'application.updated')).some((e) => e.target.id === created.createApplication.id)).toBe(true);
  });

  it('developers read applications but cannot change them or see owners without users:read', async () => {
    const dev = await createUser(app, owner, ['developer']);
    expect(errorCode(await gql(app.url, 'mutation{ createApplication(input:{name:"dev-app"}){ id } }', {}, { token: dev.token }))).toBe('FORBIDDEN');
    const r = await gql<{ applications: { nodes: { name: string; owner: unknown }[] } }>(
      app.url,
      '{ applications(first:1){ nodes { name owner { email } } } }',
      {},
      { token: dev.token },
    );
    expect(r.data?.applications.nodes[0]?.owner).toBeNull();
    expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', missingScope: 'users:read' });
  });

  it('names are unique per organization', async () => {
    const r = await gql(app.url, 'mutation{ createApplication(input:{name:"a1"}){ id } }', {}, { token: owner });
    expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ path: ['input', 'name'], message: 'is already taken' }] });
  });
});

describe('organization policy', () => {
  let app: TestApp;
  let owner: string;
  beforeAll(async () => {
    app = await startTestApp();
    owner = await loginOwner(app);
  });
  afterAll(() => app.stop());

  const POLICY = `{ organization { policy {
    approvalRules { keyType subtype level approvals } keyLifetimes { keyType maxDays expiryRequired }
    defaultRateLimit { perSecond perMinute perHour perDay } rotation { everyDays gracePeriodSeconds }
    recoverableKeysAllowed expiryWarningDays alertResponses { suspendKeyOnCritical } version } } }`;

  it('starts from the defaults', async () => {
    const d = await gqlOk<{ organization: { policy: Record<string, unknown> } }>(app.url, POLICY, {}, { token: owner });
    expect(d.organization.policy).toMatchObject({
      approvalRules: [
        { keyType: 'system', subtype: null, level: null, approvals: 1 },
        { keyType: null, subtype: null, level: 'full', approvals: 1 },
      ],
      recoverableKeysAllowed: false,
      expiryWarningDays: [30, 7, 1],
      alertResponses: { suspendKeyOnCritical: false },
      version: 0,
    });
  });

  it('the owner edits it; sections left out keep their value; the change is audited', async () => {
    const r = await gqlOk<{
      updateOrganizationPolicy: {
        version: number;
        defaultRateLimit: { perSecond: number | null; perMinute: number };
        alertResponses: { suspendKeyOnCritical: boolean };
      };
    }>(
      app.url,
      'mutation($i: UpdateOrganizationPolicyInput!){ updateOrganizationPolicy(input:$i){ ' +
        'version defaultRateLimit { perSecond perMinute } alertResponses { suspendKeyOnCritical } } }',
      { i: { defaultRateLimit: { perSecond: null }, alertResponses: { suspendKeyOnCritical: true } } },
      { token: owner },
    );
    expect(r.updateOrganizationPolicy).toEqual({ version: 1, defaultRateLimit: { perSecond: null, perMinute: 1000 }, alertResponses: { suspendKeyOnCritical: true } });
    const { orgId } = await meOf(app, owner);
    const events = await auditEvents(app, orgId, 'policy.updated');
    expect(events).toHaveLength(1);
    expect(app.server.services.orgPolicy.getPolicy(orgId)).resolves.toMatchObject({ version: 1, alertResponses: { suspendKeyOnCritical: true } });
  });

  it('admins read but cannot edit it (organization:admin)', async () => {
    const admin = await createUser(app, owner, ['admin']);
    await gqlOk(app.url, POLICY, {}, { token: admin.token });
    const r = await gql(app.url, 'mutation{ updateOrganizationPolicy(input:{recoverableKeysAllowed:true}){ version } }', {}, { token: admin.token });
    expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', missingScope: 'organization:admin' });
  });

  it('concurrent edits are serialized: every one lands and versions are consecutive', async () => {
    const current = await gqlOk<{ organization: { policy: { version: number } } }>(app.url, '{ organization { policy { version } } }', {}, { token: owner });
    const before = current.organization.policy.version;
    const edit = 'mutation($d:[Int!]){ updateOrganizationPolicy(input:{expiryWarningDays:$d}){ version } }';
    const results = await Promise.all(
      [1, 2, 3, 4, 5, 6].map((d) => gql<{ updateOrganizationPolicy: { version: number } }>(app.url, edit, { d: [d] }, { token: owner })),
    );
    const versions = results.map((r) => r.data?.updateOrganizationPolicy.version).sort();
    expect(versions).toEqual([1, 2, 3, 4, 5, 6].map((i) => before + i));
  });
});
