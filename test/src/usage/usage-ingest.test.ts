import { startTestApp, type TestApp } from '../harness/app';
import { serviceKey, verifierSetup, verifyHttp } from '../verify/verify-helpers';
import { postUsage } from './monitoring-helpers';

/** POST /v1/usage: what a service behind Latchkey sends after each request it served. */
describe('usage reports', () => {
  let app: TestApp;
  let token: string;
  let verifier: string;
  beforeAll(async () => {
    app = await startTestApp();
    ({ token, verifier } = await verifierSetup(app));
  });
  afterAll(() => app.stop());

  const report = (keyId: string, id: string, extra: Record<string, unknown> = {}) => ({
    id,
    keyId,
    at: new Date().toISOString(),
    status: 200,
    latencyMs: 12,
    bytesIn: 100,
    bytesOut: 2000,
    ...extra,
  });

  it('a malformed batch is refused with 400 naming every offending field', async () => {
    const k = await serviceKey(app, token);
    const r = await postUsage(app, verifier, { reports: [report(k.id, 'a1', { status: 99 }), { id: 'a2', keyId: k.id, at: 'yesterday', status: 200, latencyMs: -1 }] });
    expect(r.status).toBe(400);
    const err = r.body.error as { code: string; fields: { path: (string | number)[] }[] };
    expect(err.code).toBe('BAD_USER_INPUT');
    const paths = err.fields.map((f) => f.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['reports.0.status', 'reports.1.at', 'reports.1.latencyMs']));
    expect((await postUsage(app, verifier, { reports: [] })).status).toBe(400);
    const tooMany = await postUsage(app, verifier, { reports: Array.from({ length: 1001 }, (_, i) => report(k.id, `x${i}`)) });
    expect(tooMany.status).toBe(400);
    expect(JSON.stringify(tooMany.body)).toContain('at most 1000');
    expect((await postUsage(app, verifier, { reports: [{ ...report(k.id, 'both'), key: k.secret }] })).status).toBe(400);
  });

  it('needs a caller key holding keys:verify', async () => {
    const k = await serviceKey(app, token);
    expect((await postUsage(app, k.secret, { reports: [report(k.id, 'nope')] })).status).toBe(403);
    const res = await fetch(`${app.url}/v1/usage`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(res.status).toBe(401);
  });

  it('is idempotent by report id: a retried batch counts nothing twice', async () => {
    const k = await serviceKey(app, token);
    const batch = { reports: [report(k.id, 'r-1'), report(k.id, 'r-2'), { ...report(k.id, 'r-3'), keyId: undefined, key: k.secret }] };
    expect((await postUsage(app, verifier, batch)).body).toMatchObject({ accepted: 3, duplicates: 0, rejected: [] });
    expect((await postUsage(app, verifier, batch)).body).toMatchObject({ accepted: 0, duplicates: 3 });
    const logs = await app.server.services.mongo.conn.collection('request_logs').find({ keyId: k.id }).toArray();
    expect(logs).toHaveLength(3);
    expect(logs[0]).toMatchObject({ orgId: expect.stringMatching(/^org_/), status: 200, latencyMs: 12, bytesIn: 100, bytesOut: 2000 });
    expect(logs[0]?.at).toBeInstanceOf(Date);
  });

  it('reports for unknown keys (or another organization’s) are rejected one by one', async () => {
    const k = await serviceKey(app, token);
    const r = await postUsage(app, verifier, {
      reports: [
        report(k.id, 'ok-1'),
        report('key_doesnotexist000000000', 'bad-1'),
        report(k.id, 'old-1', { at: new Date(Date.now() - 25 * 3600_000).toISOString() }),
      ],
    });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ accepted: 1, rejected: [{ index: 1, id: 'bad-1', code: 'NOT_FOUND' }, { index: 2, id: 'old-1', code: 'BAD_USER_INPUT' }] });
  });

  it('a report releases the concurrency lease its verify took', async () => {
    const k = await serviceKey(app, token, { rateLimit: { perMinute: 1000, concurrency: 1 } });
    const first = await verifyHttp(app, verifier, { key: k.secret, acquireLease: true });
    expect(first.body.code).toBe('VALID');
    const leaseId = (first.body as unknown as { leaseId: string }).leaseId;
    expect(leaseId).toMatch(/^lse_/);
    expect((await verifyHttp(app, verifier, { key: k.secret, acquireLease: true })).body.code).toBe('CONCURRENCY_LIMITED');
    const r = await postUsage(app, verifier, { reports: [report(k.id, 'lease-1', { leaseId })] });
    expect(r.body).toMatchObject({ accepted: 1, leasesReleased: 1 });
    expect((await verifyHttp(app, verifier, { key: k.secret, acquireLease: true })).body.code).toBe('VALID');
  });

  it('after-the-fact costs count against the key’s dimension quota even past its limit', async () => {
    const k = await serviceKey(app, token, { rateLimit: { perMinute: 1000, dimensions: [{ name: 'db_queries', limit: 10, window: 'minute' }] } });
    expect((await verifyHttp(app, verifier, { key: k.secret, costs: { db_queries: 1 } })).body.code).toBe('VALID');
    const r = await postUsage(app, verifier, { reports: [report(k.id, 'cost-1', { costs: { db_queries: 12 } })] });
    expect(r.body).toMatchObject({ accepted: 1 });
    const after = await verifyHttp(app, verifier, { key: k.secret, costs: { db_queries: 1 } });
    expect(after.body).toMatchObject({ code: 'QUOTA_EXCEEDED', dimension: 'db_queries' });
  });
});
