import { startTestApp, type TestApp } from '../harness/app';
import { gql, gqlOk } from '../harness/graphql';
import { serviceKey, verifierSetup, verifyHttp } from '../verify/verify-helpers';
import { flushSignals, postUsage } from '../usage/monitoring-helpers';

interface ReportResult {
  kind: string;
  generatedAt: string;
  rowCount: number;
  columns: { key: string; header: string }[];
  rows: Record<string, unknown>[];
  csv: string | null;
}
const REPORT =
  'query($k: ReportKind!, $f: DateTimeISO!, $t: DateTimeISO!, $fmt: ReportFormat){ ' +
  'report(kind:$k, from:$f, to:$t, format:$fmt){ kind generatedAt rowCount columns { key header } rows csv } }';

/** Reports from rollups, alerts and the key inventory, as JSON rows and CSV. */
describe('reports', () => {
  let app: TestApp;
  let token: string;
  let verifier: string;
  let used: { id: string; secret: string };
  let idle: { id: string; secret: string };
  const from = new Date(Date.now() - 86_400_000).toISOString();
  const to = new Date(Date.now() + 3_600_000).toISOString();

  beforeAll(async () => {
    app = await startTestApp();
    ({ token, verifier } = await verifierSetup(app));
    used = await serviceKey(app, token, { scopes: ['applications:read', 'users:read', 'users:write'] });
    idle = await serviceKey(app, token);
    for (let i = 0; i < 3; i++) await verifyHttp(app, verifier, { key: used.secret, resource: 'applications', action: 'read' });
    await verifyHttp(app, verifier, { key: used.secret, resource: 'users', action: 'delete' });
    await postUsage(app, verifier, { reports: [{ id: 'b-1', keyId: used.id, at: Date.now(), status: 200, latencyMs: 10, bytesIn: 500_000_000, bytesOut: 1_500_000_000 }] });
    await flushSignals(app);
    await app.server.services.usage.fold({ upToMinute: Math.floor(Date.now() / 60_000) + 1 });
  });
  afterAll(() => app.stop());

  const report = (kind: string, format = 'JSON') => gqlOk<{ report: ReportResult }>(app.url, REPORT, { k: kind, f: from, t: to, fmt: format }, { token }).then((r) => r.report);

  it('monthly usage and key performance per key, from rollups', async () => {
    const u = await report('MONTHLY_USAGE');
    const row = u.rows.find((r) => r.keyId === used.id);
    expect(row).toMatchObject({ requests: 4, valid: 3, denied: 1, reported: 1, bytesIn: 500_000_000 });
    const p = await report('KEY_PERFORMANCE', 'CSV');
    expect(p.csv?.split('\r\n')[0]).toBe(p.columns.map((c) => c.header).join(','));
    expect(p.csv).toContain(used.id);
  });

  it('billing applies the organization’s prices per request and per GB', async () => {
    const settings = await gqlOk<{ updateBillingSettings: { perRequest: number; perGb: number; currency: string } }>(
      app.url,
      'mutation{ updateBillingSettings(input:{perRequest:0.01, perGb:2, currency:"EUR"}){ perRequest perGb currency } }',
      {},
      { token },
    );
    expect(settings.updateBillingSettings).toEqual({ perRequest: 0.01, perGb: 2, currency: 'EUR' });
    const b = await report('BILLING');
    expect(b.rows.find((r) => r.keyId === used.id)).toMatchObject({ billableRequests: 3, gb: 2, requestCost: 0.03, bandwidthCost: 4, total: 4.03, currency: 'EUR' });
    expect(b.rows.at(-1)).toMatchObject({ keyId: 'TOTAL' });
    const bad = await gql(app.url, 'mutation{ updateBillingSettings(input:{perRequest:-1, perGb:2, currency:"EUR"}){ perRequest } }', {}, { token });
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('security incidents list the alerts of the period', async () => {
    const s = await report('SECURITY_INCIDENTS');
    expect(s.rows.some((r) => r.type === 'PERMISSION_VIOLATIONS' && r.keyId === used.id)).toBe(true);
  });

  it('compliance: inventory with age, expiry, approvals, unused keys and never-used scopes', async () => {
    const c = await gqlOk<{ report: ReportResult }>(
      app.url,
      'query($f: DateTimeISO!, $t: DateTimeISO!){ report(kind:COMPLIANCE, from:$f, to:$t, unusedDays:1){ rows } }',
      { f: from, t: to },
      { token },
    );
    const u = c.report.rows.find((r) => r.keyId === used.id) as Record<string, unknown>;
    expect(u).toMatchObject({ ageDays: 0, noExpiry: expect.any(Boolean), approvalsRequired: 0 });
    expect(u.unusedScopes).toEqual(['users:read', 'users:write']);
    expect(u.suggestion).toBe('remove users:read, users:write');
    const i = c.report.rows.find((r) => r.keyId === idle.id) as Record<string, unknown>;
    expect(i.suggestion).toMatch(/no permission-checked use/);
  });

  it('downloads as CSV or JSON from GET /v1/reports/:kind with a session or a reports:read key', async () => {
    const csv = await fetch(`${app.url}/v1/reports/monthly-usage?from=${from}&to=${to}&format=csv`, { headers: { authorization: `Bearer ${token}` } });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
    expect(csv.headers.get('content-disposition')).toMatch(/attachment; filename="monthly_usage_/);
    expect(await csv.text()).toContain(used.id);
    const cookie = await fetch(`${app.url}/v1/reports/COMPLIANCE?from=${from}&to=${to}`, { headers: { cookie: `lk_session=${token}` } });
    expect(cookie.status).toBe(200);
    expect(((await cookie.json()) as { rows: unknown[] }).rows.length).toBeGreaterThan(0);
    const reader = await serviceKey(app, token, { scopes: ['reports:read'] });
    expect((await fetch(`${app.url}/v1/reports/billing?from=${from}&to=${to}`, { headers: { authorization: `Bearer ${reader.secret}` } })).status).toBe(200);
    const noScope = await serviceKey(app, token, { scopes: ['keys:read'] });
    expect((await fetch(`${app.url}/v1/reports/billing?from=${from}&to=${to}`, { headers: { authorization: `Bearer ${noScope.secret}` } })).status).toBe(403);
    expect((await fetch(`${app.url}/v1/reports/billing?from=${from}&to=${to}`)).status).toBe(401);
    expect((await fetch(`${app.url}/v1/reports/nonsense?from=${from}&to=${to}`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(400);
  });

  it('/metrics exposes verify, cache, Redis, queue, alert and signal metrics', async () => {
    const text = await (await fetch(`${app.url}/metrics`)).text();
    const metrics = [
      'latchkey_verifications_total{code="VALID"}',
      'latchkey_verify_duration_seconds_bucket',
      'latchkey_verify_cache_hit_ratio',
      'latchkey_redis_rtt_seconds',
      'latchkey_queue_jobs{queue="usage",state="wait"}',
      'latchkey_alerts_open{severity="medium"}',
      'latchkey_alerts_raised_total',
      'latchkey_verify_signals_dropped_total',
    ];
    for (const name of metrics) {
      expect(text).toContain(name);
    }
  });
});
