import type { Connection } from 'mongoose';
import { startTestApp, type TestApp } from '../harness/app';
import { gql } from '../harness/graphql';
import { code, createApp, createKey, createKeyRaw, createUser, customValue, dbOf, fieldPaths, inDays, loginOwner, requestKeyRaw, must } from './key-helpers';

/** Bad input gets field-level errors, nobody grants what they lack, and nothing is half-written. */
describe('key input validation', () => {
  let app: TestApp;
  let owner: string;
  let db: Connection;
  let appId: string;

  beforeAll(async () => {
    app = await startTestApp();
    owner = await loginOwner(app);
    db = await dbOf(app);
    appId = await createApp(app, owner, 'validation-app');
  });
  afterAll(async () => {
    await db.close();
    await app.stop();
  });

  // Cases are built before beforeAll runs: APP stands for the application made there.
  const APP = '$app';
  const svc = (extra: Record<string, unknown> = {}) => ({ name: 'v', type: 'application', subtype: 'service', applicationId: APP, scopes: ['keys:read'], ...extra });
  const withApp = (input: Record<string, unknown>) => (input.applicationId === APP ? { ...input, applicationId: appId } : input);

  const cases: [string, Record<string, unknown>, string, string][] = [
    ['an expiry in the past', svc({ expiresAt: new Date(Date.now() - 60_000).toISOString() }), 'BAD_USER_INPUT', 'input.expiresAt'],
    ['an expiry beyond the policy maximum (365 days)', svc({ expiresAt: inDays(400) }), 'BAD_USER_INPUT', 'input.expiresAt'],
    ['a subtype of another type', svc({ subtype: 'personal' }), 'BAD_USER_INPUT', 'input.subtype'],
    ['an unknown type', svc({ type: 'robot' }), 'BAD_USER_INPUT', 'input.type'],
    ['an application key without application', svc({ applicationId: null }), 'BAD_USER_INPUT', 'input.applicationId'],
    ['an unknown scope resource', svc({ scopes: ['nuclear:launch'] }), 'BAD_USER_INPUT', 'input.scopes.0'],
    ['a malformed scope', svc({ scopes: ['keys'] }), 'BAD_USER_INPUT', 'input.scopes.0'],
    ['scopes with a preset level', svc({ permissionLevel: 'full' }), 'BAD_USER_INPUT', 'input.scopes'],
    ['no scope and no role', svc({ scopes: [] }), 'BAD_USER_INPUT', 'input.scopes'],
    ['an unknown permission level', svc({ permissionLevel: 'godmode', scopes: null }), 'BAD_USER_INPUT', 'input.permissionLevel'],
    ['a too-short custom key', svc({ customKey: 'short' }), 'BAD_USER_INPUT', 'input.customKey'],
    ['a guessable custom key', svc({ customKey: 'passwordpasswordpasswordpassword1234' }), 'BAD_USER_INPUT', 'input.customKey'],
    ['a custom key shaped like a generated one', svc({ customKey: 'lk_prd_7fQ2mZx9Lp4Rt8Vb3Nc6Hy1Kd5Sw0Ge2Jq' }), 'BAD_USER_INPUT', 'input.customKey'],
    ['a name too long', svc({ name: 'n'.repeat(101) }), 'BAD_USER_INPUT', 'input.name'],
    ['a write scope on a read_only key', { name: 'v', type: 'user', subtype: 'read_only', permissionLevel: 'custom', scopes: ['keys:write'] }, 'BAD_USER_INPUT', 'input.scopes'],
    [
      'a development key for production',
      { name: 'v', type: 'user', subtype: 'development', environment: 'production', scopes: ['keys:read'] },
      'BAD_USER_INPUT',
      'input.environment',
    ],
    ['a temporary key for 8 days', { name: 'v', type: 'user', subtype: 'temporary', scopes: ['keys:read'], expiresAt: inDays(8) }, 'BAD_USER_INPUT', 'input.expiresAt'],
    ['an emergency key for 2 days', { name: 'v', type: 'system', subtype: 'emergency', scopes: ['keys:read'], expiresAt: inDays(2) }, 'BAD_USER_INPUT', 'input.expiresAt'],
    ['a web key without referrers', svc({ subtype: 'web' }), 'BAD_USER_INPUT', 'input.restrictions.referrers'],
    ['a recoverable key the policy forbids', svc({ recoverable: true }), 'BAD_USER_INPUT', 'input.recoverable'],
    ['an owner on a system key', { name: 'v', type: 'system', subtype: 'backup', scopes: ['keys:read'], ownerId: 'usr_abc' }, 'BAD_USER_INPUT', 'input.ownerId'],
    ['an unknown role', svc({ roleIds: ['role_doesnotexist'] }), 'NOT_FOUND', 'input.roleIds.0'],
    ['bytes out of range', svc({ bytes: 8 }), 'BAD_USER_INPUT', 'input.bytes'],
    ['a malformed CIDR', svc({ restrictions: { ipAllowList: ['10.0.0.0/33'] } }), 'BAD_USER_INPUT', 'input.restrictions.ipAllowList.0'],
    ['a malformed referrer pattern', svc({ restrictions: { referrers: ['https://exa mple.com'] } }), 'BAD_USER_INPUT', 'input.restrictions.referrers.0'],
    ['an unknown country', svc({ restrictions: { countries: ['ZZ'] } }), 'BAD_USER_INPUT', 'input.restrictions.countries.0'],
    ['a negative rate limit', svc({ rateLimit: { perSecond: -5 } }), 'BAD_USER_INPUT', 'input.rateLimit.perSecond'],
    ['an absurd rate limit', svc({ rateLimit: { perSecond: 2_000_000_000 } }), 'BAD_USER_INPUT', 'input.rateLimit.perSecond'],
    [
      'a grace period longer than the rotation interval',
      svc({ rotationPolicy: { everyDays: 1, gracePeriodSeconds: 2 * 86_400 } }),
      'BAD_USER_INPUT',
      'input.rotationPolicy.gracePeriodSeconds',
    ],
    ['a duplicate metadata name', svc({ metadata: [{ name: 'team', value: 'a' }, { name: 'team', value: 'b' }] }), 'BAD_USER_INPUT', 'input.metadata.1.name'],
  ];

  it.each(cases)('refuses %s', async (_what, input, expectedCode, path) => {
    const before = await db.collection('api_keys').countDocuments();
    const r = await createKeyRaw(app, owner, withApp(input));
    expect(code(r)).toBe(expectedCode);
    expect(fieldPaths(r)).toContain(path);
    expect(await db.collection('api_keys').countDocuments()).toBe(before);
  });

  it('updates are validated the same way and leave the key unchanged when refused', async () => {
    const k = await createKey(app, owner, withApp(svc({ name: 'to-update', tags: ['keep'] })));
    const UPDATE = 'mutation($id:ID!,$i:UpdateApiKeyInput!){ updateApiKey(id:$id, input:$i){ name tags restrictions { ipAllowList } rateLimit { perMinute } } }';
    const bad = await gql(app.url, UPDATE, { id: k.apiKey.id, i: { name: 'renamed', restrictions: { ipAllowList: ['not-an-ip'] } } }, { token: owner });
    expect(fieldPaths(bad)).toEqual(['input.restrictions.ipAllowList.0']);
    const unchanged = await gql<{ apiKey: { name: string } }>(app.url, 'query($id:ID!){ apiKey(id:$id){ name } }', { id: k.apiKey.id }, { token: owner });
    expect(unchanged.data?.apiKey.name).toBe('to-update');
    const ok = await gql<{ updateApiKey: { name: string; tags: string[]; restrictions: { ipAllowList: string[] }; rateLimit: { perMinute: number } } }>(
      app.url,
      UPDATE,
      { id: k.apiKey.id, i: { name: 'renamed', restrictions: { ipAllowList: ['2001:db8::/32'] }, rateLimit: { perMinute: 5 } } },
      { token: owner },
    );
    expect(ok.data?.updateApiKey).toEqual({ name: 'renamed', tags: ['keep'], restrictions: { ipAllowList: ['2001:db8::/32'] }, rateLimit: { perMinute: 5 } });
  });

  it('refuses to grant what the caller does not hold', async () => {
    const dev = await createUser(app, owner, ['developer']);
    const r = await requestKeyRaw(app, dev.token, { name: 'dev-wants-write', type: 'user', subtype: 'personal', scopes: ['keys:write'] });
    expect(code(r)).toBe('FORBIDDEN');
    expect(r.errors?.[0]?.message).toContain('keys:write');
    const forOther = await requestKeyRaw(app, dev.token, {
      name: 'for-someone-else',
      type: 'user',
      subtype: 'personal',
      scopes: ['keys:read'],
      ownerId: (await createUser(app, owner, ['developer'])).id,
    });
    expect(code(forOther)).toBe('FORBIDDEN');
    const noScope = await createKeyRaw(app, dev.token, { name: 'dev-direct', type: 'user', subtype: 'personal', scopes: ['keys:read'] });
    expect(code(noScope)).toBe('FORBIDDEN');
    // A user key never holds more than its owner, whoever issues it.
    const forDev = await createKeyRaw(app, owner, { name: 'too-wide-for-dev', type: 'user', subtype: 'personal', ownerId: dev.id, scopes: ['keys:write'] });
    expect(code(forDev)).toBe('FORBIDDEN');
    expect(forDev.errors?.[0]?.message).toContain('owner');
  });

  it('duplicate imported values are a conflict; subtype and policy defaults are applied', async () => {
    const value = customValue();
    const first = await createKey(app, owner, withApp(svc({ name: 'imported', customKey: value })));
    expect(first.apiKey).toMatchObject({ custom: true, start: value.slice(0, 4), last4: value.slice(-4) });
    const dup = await createKeyRaw(app, owner, withApp(svc({ name: 'imported-again', customKey: value })));
    expect(code(dup)).toBe('CONFLICT');

    // No rate limit given: the organization's default (50/s, 1000/min) is copied.
    expect(first.apiKey.rateLimit).toEqual({ perSecond: 50, perMinute: 1000, perHour: null, perDay: null });
    const own = await createKey(app, owner, withApp(svc({ name: 'own-limits', rateLimit: { perMinute: 10 } })));
    expect(own.apiKey.rateLimit).toEqual({ perSecond: null, perMinute: 10, perHour: null, perDay: null });

    const ro = await createKey(app, owner, { name: 'ro', type: 'user', subtype: 'read_only' });
    expect(ro.apiKey).toMatchObject({ permissionLevel: 'read_only', scopes: ['*:read'] });
    const dev = await createKey(app, owner, { name: 'dev', type: 'user', subtype: 'development', scopes: ['keys:read'] });
    expect(dev.apiKey.environment).toBe('development');
    expect(dev.secret).toMatch(/^lk_dev_/);
    // Emergency keys (system: one approval by default) get a 4-hour lifetime from issue.
    const emergency = await requestKeyRaw(app, owner, { name: 'break-glass', type: 'system', subtype: 'emergency', scopes: ['keys:read'] });
    expect(emergency.errors).toBeUndefined();
    expect(emergency.data?.requestApiKey.key.expiryLifetimeSeconds).toBe(4 * 3600);
  });

  it('listing filters, escapes search text, sorts and pages with stable cursors', async () => {
    const names = ['list-a.b', 'list-axb', 'list-c', 'list-d', 'list-e'];
    for (const [i, name] of names.entries()) {
      await createKey(app, owner, withApp(svc({ name, tags: i % 2 ? ['odd'] : ['even'], expiresAt: i === 2 ? null : inDays(10 + i) })));
    }
    const q =
      'query($f:ApiKeyFilter,$s:ApiKeySort,$n:Int,$a:String){ apiKeys(filter:$f, sort:$s, first:$n, after:$a){ ' +
      'nodes { name expiresAt } pageInfo { hasNextPage endCursor } totalCount } }';
    type Page = { apiKeys: { nodes: { name: string; expiresAt: string | null }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null }; totalCount: number } };
    const list = (vars: Record<string, unknown>) => gql<Page>(app.url, q, vars, { token: owner });

    const dot = await list({ f: { search: 'list-a.b' } });
    expect(dot.data?.apiKeys.nodes.map((n) => n.name)).toEqual(['list-a.b']);
    const odd = await list({ f: { tag: 'odd', search: 'list-' } });
    expect(odd.data?.apiKeys.nodes.map((n) => n.name).sort()).toEqual(['list-axb', 'list-d']);
    const regexy = await list({ f: { search: '.*(' } });
    expect(regexy.errors).toBeUndefined();
    expect(regexy.data?.apiKeys.nodes).toEqual([]);

    const sorts = [
      { field: 'name', direction: 'asc' },
      { field: 'name', direction: 'desc' },
      { field: 'expiresAt', direction: 'asc' },
      { field: 'expiresAt', direction: 'desc' },
      { field: 'createdAt', direction: 'desc' },
    ];
    for (const sort of sorts) {
      const seen: { name: string; expiresAt: string | null }[] = [];
      let after: string | null = null;
      for (let i = 0; i < 10; i++) {
        const page = await list({ f: { search: 'list-' }, s: sort, n: 2, a: after });
        expect(page.errors).toBeUndefined();
        const data = must(page.data).apiKeys;
        expect(data.totalCount).toBe(5);
        seen.push(...data.nodes);
        if (!data.pageInfo.hasNextPage) break;
        after = data.pageInfo.endCursor;
      }
      expect(seen.map((n) => n.name).sort()).toEqual([...names].sort());
      if (sort.field === 'name') expect(seen.map((n) => n.name)).toEqual(sort.direction === 'asc' ? [...names].sort() : [...names].sort().reverse());
      if (sort.field === 'expiresAt') {
        const expected = sort.direction === 'asc' ? ['list-c', 'list-a.b', 'list-axb', 'list-d', 'list-e'] : ['list-e', 'list-d', 'list-axb', 'list-a.b', 'list-c'];
        expect(seen.map((n) => n.name)).toEqual(expected);
      }
    }

    const expiring = await list({ f: { search: 'list-', expiringBefore: inDays(11.5) } });
    expect(expiring.data?.apiKeys.nodes.map((n) => n.name).sort()).toEqual(['list-a.b', 'list-axb']);
    const badCursor = await list({ a: 'not-a-cursor' });
    expect(code(badCursor)).toBe('BAD_USER_INPUT');
    const badFilter = await list({ f: { status: 'sleepy' } });
    expect(fieldPaths(badFilter)).toEqual(['filter.status']);
  });
});
