import { startTestApp, type TestApp } from '../harness/app';
import { gql, gqlOk, errorCode } from '../harness/graphql';
import { serviceKey, verifierSetup, verifyHttp } from './verify-helpers';

describe('metered dimensions', () => {
  let app: TestApp;
  let token: string;
  let verifier: string;
  beforeAll(async () => {
    app = await startTestApp();
    ({ token, verifier } = await verifierSetup(app));
  });
  afterAll(() => app.stop());

  it('concurrent costs against a dimension admit exactly the limit', async () => {
    const k = await serviceKey(app, token, { rateLimit: { perMinute: 10_000, dimensions: [{ name: 'cpu_ms', limit: 1000, window: 'minute' }] } });
    // 200 calls of 10 ms each against 1,000 ms: exactly 100 fit.
    const results = await Promise.all(Array.from({ length: 200 }, () => verifyHttp(app, verifier, { key: k.secret, costs: { cpu_ms: 10 } })));
    expect(results.filter((r) => r.body.code === 'VALID')).toHaveLength(100);
    const denied = results.find((r) => r.body.code === 'QUOTA_EXCEEDED');
    expect(denied?.body.dimension).toBe('cpu_ms');

    // Consumption reaches analytics and the billing report.
    const s = app.server.services;
    await s.signals.flush();
    await s.usage.fold({ upToMinute: Math.floor(Date.now() / 60_000) + 1 });
    const from = new Date(Date.now() - 3_600_000).toISOString();
    const to = new Date(Date.now() + 120_000).toISOString();
    const usage = await gqlOk<{ usage: { dimensions: { name: string; count: number }[] }[] }>(
      app.url,
      'query($k: ID!, $f: DateTimeISO!, $t: DateTimeISO!){ usage(keyId:$k, from:$f, to:$t, granularity: MINUTE){ dimensions { name count } } }',
      { k: k.id, f: from, t: to },
      { token },
    );
    const cpu = usage.usage.flatMap((p) => p.dimensions).filter((d) => d.name === 'cpu_ms').reduce((a, d) => a + d.count, 0);
    expect(cpu).toBe(1000);
    const report = await gqlOk<{ report: { csv: string } }>(
      app.url,
      'query($f: DateTimeISO!, $t: DateTimeISO!){ report(kind: BILLING, from:$f, to:$t, format: CSV){ csv } }',
      { f: from, t: to },
      { token },
    );
    expect(report.report.csv).toContain('cpu_ms=1000');
  });

  it('organizations define their own dimensions; keys may only limit known ones', async () => {
    const apps = await gqlOk<{ applications: { nodes: { id: string }[] } }>(app.url, '{ applications { nodes { id } } }', {}, { token });
    const bad = await gql(
      app.url,
      'mutation($i: CreateApiKeyInput!){ createApiKey(input:$i){ secret } }',
      {
        i: {
          name: 'x',
          type: 'application',
          subtype: 'service',
          applicationId: apps.applications.nodes[0]?.id,
          permissionLevel: 'custom',
          scopes: ['applications:read'],
          rateLimit: { dimensions: [{ name: 'gpu_seconds', limit: 10, window: 'day' }] },
        },
      },
      { token },
    );
    expect(errorCode(bad)).toBe('BAD_USER_INPUT');
    expect(JSON.stringify(bad.errors)).toContain('gpu_seconds');

    await gqlOk(app.url, 'mutation{ createMeteredDimension(input:{ name:"gpu_seconds", unit:"GPU seconds" }){ name } }', {}, { token });
    const list = await gqlOk<{ meteredDimensions: { name: string; builtin: boolean }[] }>(app.url, '{ meteredDimensions { name builtin } }', {}, { token });
    expect(list.meteredDimensions.map((d) => d.name)).toEqual(expect.arrayContaining(['cpu_ms', 'db_queries', 'gpu_seconds']));

    const k = await serviceKey(app, token, { rateLimit: { perMinute: 100, dimensions: [{ name: 'gpu_seconds', limit: 10, window: 'day' }] } });
    expect((await verifyHttp(app, verifier, { key: k.secret, costs: { gpu_seconds: 4 } })).body.code).toBe('VALID');

    const del = await gql(app.url, 'mutation{ deleteMeteredDimension(name:"gpu_seconds"){ name } }', {}, { token });
    expect(errorCode(del)).toBe('INVALID_STATE');
    await gqlOk(app.url, 'mutation($id: ID!){ revokeApiKey(id:$id, reason:"done"){ id } }', { id: k.id }, { token });
    await gqlOk(app.url, 'mutation{ deleteMeteredDimension(name:"gpu_seconds"){ name } }', {}, { token });
  });

  it('a cost naming an unknown dimension, a negative or a non-finite cost is refused', async () => {
    const k = await serviceKey(app, token);
    expect((await verifyHttp(app, verifier, { key: k.secret, costs: { teleportations: 1 } })).status).toBe(400);
    expect((await verifyHttp(app, verifier, { key: k.secret, costs: { cpu_ms: -1 } })).status).toBe(400);
    const huge = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`d${i}`, 1]));
    expect((await verifyHttp(app, verifier, { key: k.secret, costs: huge })).status).toBe(400);
  });
});
