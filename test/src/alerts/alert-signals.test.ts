import { startTestApp, type TestApp } from '../harness/app';
import { gql, gqlOk } from '../harness/graphql';
import { createKey, setPolicy } from '../keys/key-helpers';
import { serviceKey, verifierSetup, verifyHttp } from '../verify/verify-helpers';
import { eventually, flushSignals, listAlerts, minuteOf, type AlertRow } from '../usage/monitoring-helpers';

/**
 * Every kind of security signal, driven by real traffic through POST /v1/keys/verify
 * and /graphql, becomes an alert of the right type for the right key or IP.
 */
describe('security signals become alerts', () => {
  let app: TestApp;
  let token: string;
  let verifier: string;
  beforeAll(async () => {
    app = await startTestApp();
    ({ token, verifier } = await verifierSetup(app));
  });
  afterAll(() => app.stop());

  async function alertOf(type: string, match: (a: AlertRow) => boolean = () => true): Promise<AlertRow> {
    await flushSignals(app);
    return eventually(async () => (await listAlerts(app, token, { type: [type] })).find(match), 10_000, `${type} alert`);
  }

  it('repeated unknown keys from one IP: AUTH_FAILURES_IP once the threshold (10/min) is crossed', async () => {
    const ip = '203.0.113.99';
    for (let i = 0; i < 9; i++) await verifyHttp(app, verifier, { key: `unknownkeyvalue${i}abcdefghijklmnopqrstuvwxyz`, ip });
    await flushSignals(app);
    expect((await listAlerts(app, token, { type: ['AUTH_FAILURES_IP'] })).filter((a) => a.ip === ip)).toHaveLength(0);
    await verifyHttp(app, verifier, { key: 'lk_prd_clearlydamagedchecksum000000000000', ip });
    const a = await alertOf('AUTH_FAILURES_IP', (x) => x.ip === ip);
    expect(a).toMatchObject({ severity: 'HIGH', status: 'OPEN', count: 10, keyId: null });
  });

  it('a revoked key used again and again: AUTH_FAILURES_KEY', async () => {
    const k = await serviceKey(app, token);
    await gqlOk(app.url, 'mutation($id: ID!){ revokeApiKey(id:$id, reason:"t"){ id } }', { id: k.id }, { token });
    for (let i = 0; i < 5; i++) expect((await verifyHttp(app, verifier, { key: k.secret })).body.code).toBe('REVOKED');
    expect(await alertOf('AUTH_FAILURES_KEY', (x) => x.keyId === k.id)).toMatchObject({ count: 5, severity: 'MEDIUM' });
  });

  it('rate-limit violations: RATE_LIMIT_VIOLATIONS', async () => {
    const k = await serviceKey(app, token, { rateLimit: { perMinute: 1 } });
    for (let i = 0; i < 3; i++) await verifyHttp(app, verifier, { key: k.secret });
    expect(await alertOf('RATE_LIMIT_VIOLATIONS', (x) => x.keyId === k.id)).toMatchObject({ count: 2, severity: 'LOW' });
  });

  it('a key used from a new network and a new country: NEW_NETWORK and NEW_COUNTRY', async () => {
    const k = await serviceKey(app, token);
    await verifyHttp(app, verifier, { key: k.secret, ip: '8.8.8.8' });
    await flushSignals(app);
    await verifyHttp(app, verifier, { key: k.secret, ip: '8.8.8.9' }); // same /24: nothing new
    await flushSignals(app);
    expect((await listAlerts(app, token, { keyId: k.id })).filter((a) => a.type.startsWith('NEW_'))).toHaveLength(0);
    await verifyHttp(app, verifier, { key: k.secret, ip: '81.2.69.142' });
    const net = await alertOf('NEW_NETWORK', (x) => x.keyId === k.id);
    expect(net).toMatchObject({ ip: '81.2.69.142', severity: 'MEDIUM' });
    expect(net.summary).toContain('81.2.69.0/24');
    expect(await alertOf('NEW_COUNTRY', (x) => x.keyId === k.id)).toMatchObject({ ip: '81.2.69.142', severity: 'HIGH' });
  });

  it('asking for permissions the key does not hold: PERMISSION_VIOLATIONS', async () => {
    const k = await serviceKey(app, token);
    expect((await verifyHttp(app, verifier, { key: k.secret, resource: 'users', action: 'delete' })).body.code).toBe('INSUFFICIENT_PERMISSIONS');
    const a = await alertOf('PERMISSION_VIOLATIONS', (x) => x.keyId === k.id);
    expect(a.summary).toContain('users:delete');
  });

  it('use outside the key’s restrictions: RESTRICTION_VIOLATIONS (enforced and report-only)', async () => {
    const k = await serviceKey(app, token, { restrictions: { ipAllowList: ['10.0.0.0/8'] } });
    expect((await verifyHttp(app, verifier, { key: k.secret, ip: '8.8.8.8' })).body.code).toBe('FORBIDDEN_IP');
    expect((await alertOf('RESTRICTION_VIOLATIONS', (x) => x.keyId === k.id)).summary).toContain('FORBIDDEN_IP');
    const r = await serviceKey(app, token, { restrictions: { ipAllowList: ['10.0.0.0/8'], mode: { ip: 'report_only' } } });
    expect((await verifyHttp(app, verifier, { key: r.secret, ip: '8.8.8.8' })).body.code).toBe('VALID');
    expect((await alertOf('RESTRICTION_VIOLATIONS', (x) => x.keyId === r.id)).summary).toContain('report_only:ip');
  });

  it('traffic far above the key’s own baseline: UNUSUAL_VOLUME', async () => {
    const k = await serviceKey(app, token, { rateLimit: { perSecond: 10_000, perMinute: 100_000 } });
    const start = minuteOf(Date.now());
    // A quiet history: 5 requests a minute for 15 minutes, then a burst of 150.
    for (let m = start - 30; m < start - 15; m++) await app.server.services.alerts.observeVolume(k.id, m, 5);
    await Promise.all(Array.from({ length: 150 }, () => verifyHttp(app, verifier, { key: k.secret })));
    await flushSignals(app);
    await app.server.services.usage.fold({ upToMinute: minuteOf(Date.now()) });
    const rows = await app.server.services.mongo.conn.collection('usage_minute').find({ keyId: k.id }).toArray();
    const busiest = rows.sort((a, b) => (b.requests as number) - (a.requests as number))[0];
    await app.server.services.alerts.scanAnomalies(minuteOf((busiest?.bucketStart as Date).getTime()));
    const a = await alertOf('UNUSUAL_VOLUME', (x) => x.keyId === k.id);
    expect(a.severity === 'HIGH' || a.severity === 'CRITICAL').toBe(true);
    // Scanning the same minute again is a no-op (the baseline already holds it).
    await app.server.services.alerts.scanAnomalies(minuteOf((busiest?.bucketStart as Date).getTime()));
    expect((await listAlerts(app, token, { type: ['UNUSUAL_VOLUME'], keyId: k.id }))[0]?.count).toBe(1);
  });

  it('every use of an emergency key: EMERGENCY_KEY_USED, and an audit event per batch of uses', async () => {
    await setPolicy(app, token, { approvalRules: [] });
    const e = await createKey(app, token, { name: 'break-glass', type: 'system', subtype: 'emergency', permissionLevel: 'custom', scopes: ['keys:read'] });
    await verifyHttp(app, verifier, { key: e.secret, ip: '203.0.113.5' });
    await verifyHttp(app, verifier, { key: e.secret, ip: '203.0.113.5' });
    const a = await alertOf('EMERGENCY_KEY_USED', (x) => x.keyId === e.apiKey.id);
    expect(a.count).toBe(2);
    const audit = await app.server.services.mongo.conn.collection('audit_events').find({ action: 'key.emergency_used', 'target.id': e.apiKey.id }).toArray();
    expect(audit.length).toBeGreaterThanOrEqual(1);
  });

  it('a rotated key still used near the end of its grace period: ROTATED_KEY_GRACE_ENDING', async () => {
    const k = await serviceKey(app, token);
    await gqlOk(app.url, 'mutation($id: ID!){ rotateApiKey(id:$id, gracePeriodSeconds:600){ apiKey { id } } }', { id: k.id }, { token });
    expect((await verifyHttp(app, verifier, { key: k.secret })).body.code).toBe('VALID');
    expect((await alertOf('ROTATED_KEY_GRACE_ENDING', (x) => x.keyId === k.id)).summary).toMatch(/grace period ends in \d+ min/);
  });

  it('a key sent in the query string of /graphql: KEY_IN_QUERY_STRING', async () => {
    const k = await serviceKey(app, token, { scopes: ['keys:read'] });
    const res = await fetch(`${app.url}/graphql?api_key=${encodeURIComponent(k.secret)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ serverInfo { version } }' }),
    });
    expect(res.status).toBe(200);
    expect(await alertOf('KEY_IN_QUERY_STRING', (x) => x.keyId === k.id)).toMatchObject({ severity: 'LOW' });
  });

  it('a dead-lettered webhook delivery: WEBHOOK_DEAD_LETTER (the webhooks worker’s onDeadLetter hook)', async () => {
    const orgId = (await gqlOk<{ me: { orgId: string } }>(app.url, '{ me { orgId } }', {}, { token })).me.orgId;
    await app.server.services.alerts.webhookDeadLetter({ orgId, deliveryId: 'dlv_x', endpointId: 'whk_x', eventType: 'key.created', attempts: 8, lastError: 'HTTP 500' });
    expect((await alertOf('WEBHOOK_DEAD_LETTER')).summary).toContain('HTTP 500');
  });

  it('reading alerts needs alerts:read', async () => {
    const k = await serviceKey(app, token, { scopes: ['keys:read'] });
    const r = await gql(app.url, '{ alerts { nodes { id } } }', {}, { token: k.secret });
    expect(r.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});
