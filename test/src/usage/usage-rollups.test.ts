import { startTestApp, type TestApp } from '../harness/app';
import { gqlOk } from '../harness/graphql';
import { serviceKey, verifierSetup, verifyHttp } from '../verify/verify-helpers';
import { flushSignals, minuteOf, postUsage } from './monitoring-helpers';

interface Point {
  bucketStart: string;
  requests: number;
  valid: number;
  denied: number;
  codes: { name: string; count: number }[];
  reported: number;
  statusClasses: { name: string; count: number }[];
  latency: { p50: number; p95: number; p99: number; relativeError: number };
  bytesIn: number;
  bytesOut: number;
  countries: { name: string; count: number }[];
  distinctIps: number;
}
const POINT =
  'bucketStart requests valid denied codes { name count } reported statusClasses { name count } ' +
  'latency { p50 p95 p99 relativeError } bytesIn bytesOut countries { name count } distinctIps';

/**
 * Rollups: Redis counters → usage_minute → usage_hour → usage_day, answered by `usage`
 * and `usageSummary` without reading request logs.
 */
describe('usage rollups', () => {
  let app: TestApp;
  let token: string;
  let verifier: string;
  beforeAll(async () => {
    app = await startTestApp();
    ({ token, verifier } = await verifierSetup(app));
  });
  afterAll(() => app.stop());

  const fold = () => app.server.services.usage.fold({ upToMinute: minuteOf(Date.now()) + 1 });

  it('percentiles of a known latency distribution are right within the stated bucket error', async () => {
    const k = await serviceKey(app, token);
    // 1 000 requests with latencies 1..1000 ms: true p50 = 500, p95 = 950, p99 = 990.
    const at = Math.floor(Date.now() / 60_000) * 60_000 + 1_000;
    const reports = Array.from({ length: 1000 }, (_, i) => ({ id: `lat-${i}`, keyId: k.id, at, status: i % 100 === 0 ? 503 : 200, latencyMs: i + 1, bytesIn: 10, bytesOut: 100 }));
    expect((await postUsage(app, verifier, { reports })).body).toMatchObject({ accepted: 1000 });
    await fold();
    const r = await gqlOk<{ usage: Point[] }>(
      app.url,
      `query($k:ID!,$f:DateTimeISO!,$t:DateTimeISO!){ usage(keyId:$k, from:$f, to:$t, granularity:MINUTE){ ${POINT} } }`,
      { k: k.id, f: new Date(at - 1000).toISOString(), t: new Date(at + 59_000).toISOString() },
      { token },
    );
    const p = r.usage.find((x) => x.reported > 0) as Point;
    expect(p.reported).toBe(1000);
    expect(p.bytesIn).toBe(10_000);
    expect(p.statusClasses).toEqual(expect.arrayContaining([{ name: '2xx', count: 990 }, { name: '5xx', count: 10 }]));
    const err = p.latency.relativeError;
    expect(err).toBeCloseTo(0.0905, 3);
    for (const [est, truth] of [[p.latency.p50, 500], [p.latency.p95, 950], [p.latency.p99, 990]] as const) {
      expect(Math.abs(est - truth) / truth).toBeLessThanOrEqual(err + 1e-9);
    }
  });

  it('verify outcomes, countries and distinct IPs roll up per minute, hour and day; folding twice changes nothing', async () => {
    const k = await serviceKey(app, token, { rateLimit: { perMinute: 5 } });
    const ips = ['8.8.8.8', '8.8.4.4', '81.2.69.142'];
    for (let i = 0; i < 7; i++) await verifyHttp(app, verifier, { key: k.secret, ip: ips[i % 3] });
    await verifyHttp(app, verifier, { key: k.secret, resource: 'users', action: 'delete' });
    await flushSignals(app);
    await fold();
    const conn = app.server.services.mongo.conn;
    const snapshot = async () => ({
      minute: await conn.collection('usage_minute').find({ keyId: k.id }).sort({ _id: 1 }).toArray(),
      hour: await conn.collection('usage_hour').find({ keyId: k.id }).sort({ _id: 1 }).toArray(),
      day: await conn.collection('usage_day').find({ keyId: k.id }).sort({ _id: 1 }).toArray(),
    });
    const first = await snapshot();
    const total = (rows: Record<string, unknown>[]) => rows.reduce((a, r) => a + (Number(r.requests) || 0), 0);
    expect(total(first.minute)).toBe(8);
    expect(total(first.hour)).toBe(8);
    expect(total(first.day)).toBe(8);
    const codes = Object.fromEntries(first.day.flatMap((d) => (d.codes as { name: string; count: number }[]).map((c) => [c.name, c.count])));
    expect(codes).toMatchObject({ VALID: 5, RATE_LIMITED: 2, INSUFFICIENT_PERMISSIONS: 1 });
    const countries = Object.fromEntries(first.day.flatMap((d) => (d.countries as { name: string; count: number }[]).map((c) => [c.name, c.count])));
    expect(countries).toMatchObject({ US: 5, GB: 2 });
    expect(first.day[0]?.distinctIps).toBe(3);

    // Re-run over the same minutes (as a retried job would): identical rows.
    const redis = app.server.services.redis;
    const keys = app.server.services.usage.keys;
    for (const m of first.minute) await redis.zadd(keys.dirty, Date.now() - 10_000, `${m.orgId}|${k.id}|${minuteOf((m.bucketStart as Date).getTime())}`);
    await fold();
    await fold();
    expect(await snapshot()).toEqual(first);
  });

  it('a late report folds into its minute, hour and day', async () => {
    const k = await serviceKey(app, token);
    const at = Date.now() - 2 * 3600_000;
    await postUsage(app, verifier, { reports: [{ id: 'late-1', keyId: k.id, at, status: 200, latencyMs: 5, bytesOut: 7 }] });
    await fold();
    await postUsage(app, verifier, { reports: [{ id: 'late-2', keyId: k.id, at: at + 1, status: 500, latencyMs: 5, bytesOut: 3 }] });
    await fold();
    const hour = await app.server.services.mongo.conn.collection('usage_hour').findOne({ keyId: k.id });
    expect(hour).toMatchObject({ reported: 2, bytesOut: 10 });
  });

  it('usageSummary answers volume, error rates, availability, geography, trends and top keys', async () => {
    const k = await serviceKey(app, token);
    for (let i = 0; i < 4; i++) await verifyHttp(app, verifier, { key: k.secret, ip: '8.8.8.8' });
    await postUsage(app, verifier, {
      reports: [
        { id: 's-1', keyId: k.id, at: Date.now(), status: 200, latencyMs: 20 },
        { id: 's-2', keyId: k.id, at: Date.now(), status: 502, latencyMs: 40 },
      ],
    });
    await flushSignals(app);
    await fold();
    const from = new Date(Date.now() - 3 * 3600_000).toISOString();
    const to = new Date(Date.now() + 60_000).toISOString();
    const s = await gqlOk<{
      usageSummary: {
        requests: number;
        valid: number;
        availability: number;
        serverErrorRate: number;
        throughputPerSecond: number;
        countries: { name: string }[];
        topKeys: { keyId: string; requests: number }[];
        previous: { requests: number };
        requestsChange: number | null;
      };
    }>(
      app.url,
      'query($f:DateTimeISO!,$t:DateTimeISO!,$k:ID){ usageSummary(from:$f, to:$t, keyId:$k){ ' +
        'requests valid availability serverErrorRate throughputPerSecond countries { name } topKeys { keyId requests } previous { requests } requestsChange } }',
      { f: from, t: to, k: k.id },
      { token },
    );
    expect(s.usageSummary).toMatchObject({ requests: 4, valid: 4, availability: 0.5, serverErrorRate: 0.5, previous: { requests: 0 }, requestsChange: null });
    expect(s.usageSummary.throughputPerSecond).toBeGreaterThan(0);
    expect(s.usageSummary.countries[0]?.name).toBe('US');
    expect(s.usageSummary.topKeys).toEqual([{ keyId: k.id, requests: 4 }]);
    const org = await gqlOk<{ usageSummary: { requests: number; topKeys: { keyId: string }[] } }>(
      app.url,
      'query($f:DateTimeISO!,$t:DateTimeISO!){ usageSummary(from:$f, to:$t){ requests topKeys { keyId } } }',
      { f: from, t: to },
      { token },
    );
    expect(org.usageSummary.requests).toBeGreaterThanOrEqual(4);
    expect(org.usageSummary.topKeys.map((x) => x.keyId)).toContain(k.id);
  });

  it('another organization’s key answers NOT_FOUND', async () => {
    const r = await fetch(`${app.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: 'query{ usage(keyId:"key_0000000000000000000000", from:"2026-01-01T00:00:00Z", to:"2026-01-02T00:00:00Z"){ requests } }' }),
    });
    const body = (await r.json()) as { errors: { extensions: { code: string } }[] };
    expect(body.errors[0]?.extensions.code).toBe('NOT_FOUND');
  });
});
