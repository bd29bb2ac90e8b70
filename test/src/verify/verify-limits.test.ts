import { startTestApp, type TestApp } from '../harness/app';
import { gql } from '../harness/graphql';
import { serviceKey, verifierSetup, verifyHttp } from './verify-helpers';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { parseRateLimit } = require('ratelimit-header-parser') as { parseRateLimit: (h: Headers) => { limit: number; remaining: number; reset?: Date } | undefined };

describe('verify: limits', () => {
  let app: TestApp;
  let token: string;
  let verifier: string;
  beforeAll(async () => {
    app = await startTestApp();
    ({ token, verifier } = await verifierSetup(app));
  });
  afterAll(() => app.stop());

  it('1,000 concurrent requests against a limit of 100 admit exactly 100', async () => {
    const k = await serviceKey(app, token, { rateLimit: { perMinute: 100 } });
    const results = await Promise.all(Array.from({ length: 1000 }, () => verifyHttp(app, verifier, { key: k.secret })));
    const codes = results.map((r) => r.body.code);
    expect(codes.filter((c) => c === 'VALID')).toHaveLength(100);
    expect(codes.filter((c) => c === 'RATE_LIMITED')).toHaveLength(900);
    const denied = results.find((r) => r.body.code === 'RATE_LIMITED');
    expect(denied?.body.ratelimit).toMatchObject({ limit: 100, remaining: 0, window: 'minute' });
  });

  it('a metered dimension that runs out is named, and the denial consumes nothing', async () => {
    const k = await serviceKey(app, token, { rateLimit: { perMinute: 1000, dimensions: [{ name: 'db_queries', limit: 10, window: 'minute' }] } });
    expect((await verifyHttp(app, verifier, { key: k.secret, costs: { db_queries: 6 } })).body.code).toBe('VALID');
    const over = await verifyHttp(app, verifier, { key: k.secret, costs: { db_queries: 6 } });
    expect(over.body).toMatchObject({ code: 'QUOTA_EXCEEDED', dimension: 'db_queries' });
    expect((await verifyHttp(app, verifier, { key: k.secret, costs: { db_queries: 4 } })).body.code).toBe('VALID');
  });

  it('API keys on /graphql carry RateLimit headers, and an over-limit key gets 429 with Retry-After', async () => {
    const k = await serviceKey(app, token, { rateLimit: { perMinute: 2 }, scopes: ['keys:read'] });
    const first = await gql(app.url, '{ serverInfo { version } }', {}, { token: k.secret });
    expect(first.status).toBe(200);
    expect(first.headers.get('ratelimit-policy')).toMatch(/"minute";q=2;w=60/);
    expect(first.headers.get('ratelimit')).toMatch(/"minute";r=1;t=\d+/);
    await gql(app.url, '{ serverInfo { version } }', {}, { token: k.secret });
    const third = await gql(app.url, '{ serverInfo { version } }', {}, { token: k.secret });
    expect(third.status).toBe(429);
    expect(third.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
    expect(Number(third.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('the query-string form of a key is accepted', async () => {
    const k = await serviceKey(app, token, { scopes: ['keys:read'] });
    const res = await fetch(`${app.url}/graphql?api_key=${encodeURIComponent(k.secret)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ serverInfo { version } }' }),
    });
    expect(res.status).toBe(200);
  });

  it('a revoked key on /graphql answers 401 with extensions.code REVOKED', async () => {
    const k = await serviceKey(app, token);
    await gql(app.url, 'mutation($id: ID!){ revokeApiKey(id:$id, reason:"t"){ id } }', { id: k.id }, { token });
    const r = await gql(app.url, '{ serverInfo { version } }', {}, { token: k.secret });
    expect(r.status).toBe(401);
    expect(r.errors?.[0]?.extensions?.code).toBe('REVOKED');
  });

  it('a VALID answer carries the key\'s policies and byte rates for protected services', async () => {
    const k = await serviceKey(app, token, { rateLimit: { perMinute: 100, bandwidth: { downloadMbps: 8, uploadMbps: 4, totalGbPerDay: 1 } } });
    const r = await verifyHttp(app, verifier, { key: k.secret, bytesIn: 1000, bytesOut: 0 });
    const body = r.body as unknown as { bandwidth: Record<string, number>; policies: { name: string; quota: number; remaining: number }[] };
    expect(body.bandwidth).toEqual({ downloadBytesPerSecond: 1_000_000, uploadBytesPerSecond: 500_000, bytesPerDay: 1_000_000_000, bytesRemainingToday: 999_999_000 });
    expect(body.policies.find((p) => p.name === 'minute')).toMatchObject({ quota: 100, remaining: 99 });
  });

  it('rateLimitStatus shows every window', async () => {
    const k = await serviceKey(app, token, { rateLimit: { perSecond: 5, perMinute: 50, perDay: 1000 } });
    await verifyHttp(app, verifier, { key: k.secret });
    const r = await gql<{ rateLimitStatus: { policies: { name: string; quota: number; remaining: number }[]; adaptiveFactor: number; live: boolean } }>(
      app.url,
      'query($id: String!){ rateLimitStatus(keyId:$id){ live adaptiveFactor policies { name quota remaining resetSeconds windowSeconds } } }',
      { id: k.id },
      { token },
    );
    expect(r.data?.rateLimitStatus.live).toBe(true);
    expect(r.data?.rateLimitStatus.adaptiveFactor).toBe(1);
    const byName = Object.fromEntries((r.data?.rateLimitStatus.policies ?? []).map((p) => [p.name, p]));
    expect(byName.minute).toMatchObject({ quota: 50, remaining: 49 });
    expect(byName.day).toMatchObject({ quota: 1000, remaining: 999 });
  });
});

describe('ratelimit-header-parser reads what we send', () => {
  for (const format of ['draft-7', 'draft-6']) {
    it(`parses the ${format} headers of a guarded /graphql response`, async () => {
      const app = await startTestApp({ env: { RATELIMIT_HEADERS: format } });
      try {
        const { token } = await verifierSetup(app);
        const k = await serviceKey(app, token, { rateLimit: { perMinute: 10 }, scopes: ['keys:read'] });
        const r = await gql(app.url, '{ serverInfo { version } }', {}, { token: k.secret });
        expect(parseRateLimit(r.headers)).toMatchObject({ limit: 10, remaining: 9 });
      } finally {
        await app.stop();
      }
    });
  }
});
