import { startTestApp, type TestApp } from '../harness/app';
import { gql, gqlOk } from '../harness/graphql';
import { createUser, getKey, setPolicy } from '../keys/key-helpers';
import { serviceKey, verifierSetup, verifyHttp } from '../verify/verify-helpers';
import { ALERT_FIELDS, eventually, flushSignals, listAlerts, type AlertRow } from '../usage/monitoring-helpers';

/** De-duplication, acknowledge / resolve, side effects and the automatic response. */
describe('alert workflow', () => {
  let app: TestApp;
  let token: string;
  let verifier: string;
  beforeAll(async () => {
    app = await startTestApp();
    ({ token, verifier } = await verifierSetup(app));
  });
  afterAll(() => app.stop());

  const deny = async (secret: string, n: number) => {
    for (let i = 0; i < n; i++) await verifyHttp(app, verifier, { key: secret, resource: 'users', action: 'delete' });
    await flushSignals(app);
  };
  const alertFor = (keyId: string, type = 'PERMISSION_VIOLATIONS') => eventually(async () => (await listAlerts(app, token, { keyId, type: [type] }))[0], 10_000, 'alert');

  it('occurrences within the window fold into one alert whose count grows; it is audited and announced by webhook', async () => {
    await gqlOk(app.url, 'mutation{ createWebhookEndpoint(input:{url:"http://127.0.0.1:9/alerts", events:["alert.raised"]}){ secret } }', {}, { token });
    const k = await serviceKey(app, token);
    await deny(k.secret, 2);
    const first = await alertFor(k.id);
    await deny(k.secret, 3);
    await eventually(async () => (await alertFor(k.id)).count === 5, 5_000, 'count 5');
    expect(await listAlerts(app, token, { keyId: k.id })).toHaveLength(1);
    const conn = app.server.services.mongo.conn;
    expect(await conn.collection('audit_events').countDocuments({ action: 'alert.raised', 'target.id': first.id })).toBe(1);
    // One alert.raised delivery for the new alert; the later occurrences only count.
    const deliveries = await conn.collection('webhook_deliveries').find({ eventType: 'alert.raised' }).toArray();
    expect(deliveries.filter((d) => String(d.body).includes(first.id))).toHaveLength(1);
  });

  it('acknowledge and resolve (alerts:write); a resolved problem that recurs opens a new alert', async () => {
    const k = await serviceKey(app, token);
    await deny(k.secret, 1);
    const a = await alertFor(k.id);
    const viewer = await createUser(app, token, ['viewer']);
    const refused = await gql(app.url, 'mutation($id:ID!){ acknowledgeAlert(id:$id){ id } }', { id: a.id }, { token: viewer.token });
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const ack = await gqlOk<{ acknowledgeAlert: AlertRow & { acknowledgedBy: string } }>(
      app.url,
      `mutation($id:ID!){ acknowledgeAlert(id:$id){ ${ALERT_FIELDS} acknowledgedBy } }`,
      { id: a.id },
      { token },
    );
    expect(ack.acknowledgeAlert.status).toBe('ACKNOWLEDGED');
    await deny(k.secret, 1);
    await eventually(async () => (await alertFor(k.id)).count === 2, 5_000, 'acknowledged alert still counts');
    const res = await gqlOk<{ resolveAlert: AlertRow }>(app.url, `mutation($id:ID!){ resolveAlert(id:$id){ ${ALERT_FIELDS} } }`, { id: a.id }, { token });
    expect(res.resolveAlert.status).toBe('RESOLVED');
    const again = await gql(app.url, 'mutation($id:ID!){ resolveAlert(id:$id){ id } }', { id: a.id }, { token });
    expect(again.errors?.[0]?.extensions?.code).toBe('INVALID_STATE');
    await deny(k.secret, 1);
    const fresh = await eventually(async () => (await listAlerts(app, token, { keyId: k.id, status: ['OPEN'] }))[0], 5_000, 'new alert');
    expect(fresh.id).not.toBe(a.id);
    expect(fresh.count).toBe(1);
  });

  it('another organization’s alert id answers NOT_FOUND', async () => {
    const r = await gql(app.url, 'mutation{ acknowledgeAlert(id:"alr_00000000000000000000"){ id } }', {}, { token });
    expect(r.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  it('with suspendKeyOnCritical, a critical alert suspends the key ("auto: <alert id>"), audited and reversible', async () => {
    await setPolicy(app, token, { alertResponses: { suspendKeyOnCritical: true } });
    const k = await serviceKey(app, token);
    await deny(k.secret, 19);
    expect((await alertFor(k.id)).severity).toBe('MEDIUM');
    expect((await getKey(app, token, k.id)).status).toBe('active');
    await deny(k.secret, 1); // the 20th permission violation in the window: critical
    const a = await eventually(async () => {
      const x = await alertFor(k.id);
      return x.severity === 'CRITICAL' && x.response ? x : undefined;
    }, 10_000, 'critical alert with a response');
    expect(a.response).toMatchObject({ action: 'key_suspended', keyId: k.id, error: null });
    const key = await getKey(app, token, k.id);
    expect(key).toMatchObject({ status: 'suspended', statusReason: `auto: ${a.id}` });
    expect((await verifyHttp(app, verifier, { key: k.secret })).body.code).toBe('SUSPENDED');
    const conn = app.server.services.mongo.conn;
    const audit = await conn.collection('audit_events').findOne({ action: 'key.suspended', 'target.id': k.id });
    expect(audit?.actor).toEqual({ type: 'system', id: 'alerts:auto-response' });
    expect(await conn.collection('audit_events').countDocuments({ action: 'alert.auto_response', 'target.id': a.id })).toBe(1);
    await gqlOk(app.url, 'mutation($id:ID!){ reactivateApiKey(id:$id){ id } }', { id: k.id }, { token });
    expect((await verifyHttp(app, verifier, { key: k.secret })).body.code).toBe('VALID');
    // Further occurrences of the same critical alert do not suspend the key again.
    await deny(k.secret, 2);
    await eventually(async () => (await alertFor(k.id)).count >= 22, 5_000, 'count 22');
    expect((await getKey(app, token, k.id)).status).toBe('active');
    await setPolicy(app, token, { alertResponses: { suspendKeyOnCritical: false } });
  });

  it('without the policy a critical alert changes nothing about the key', async () => {
    const k = await serviceKey(app, token);
    await deny(k.secret, 20);
    await eventually(async () => (await alertFor(k.id)).severity === 'CRITICAL', 10_000, 'critical');
    expect((await getKey(app, token, k.id)).status).toBe('active');
  });
});
