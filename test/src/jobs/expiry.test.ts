import type { Job } from 'bullmq';
import type { Connection } from 'mongoose';
import { Topic } from '@latchkey/schema';
import { apiKeyModel } from '@latchkey/server/testing';
import { createExpiryProcessor, EXPIRY_SCAN_JOB, KEY_HISTORY_JOB, keyHistoryJobId } from '@latchkey/jobs';
import { startTestApp, type TestApp } from '../harness/app';
import { gql, gqlOk } from '../harness/graphql';
import { wsClient, subscribe } from '../harness/ws';
import { verifierSetup, verifyHttp } from '../verify/verify-helpers';
import { addWebhookEndpoint, createKey, createUser, dbOf, DAY, deliveriesOf, getKey, inDays, loginOwner, meOf, notifications, servicesOf } from './jobs-helpers';

/** Expiry warnings at the organization's lead times and the `expired` transition (docs/JOBS.md). */
describe('expiry job', () => {
  let app: TestApp;
  let owner: string;
  let db: Connection;
  const userKey = (name: string, expiresAt: string) => ({ name, type: 'user', subtype: 'personal', scopes: ['keys:read'], expiresAt });

  beforeAll(async () => {
    app = await startTestApp();
    owner = await loginOwner(app);
    db = await dbOf(app);
    await addWebhookEndpoint(app, owner);
  });
  afterAll(async () => {
    await db?.close();
    await app?.stop();
  });

  it('warns once per lead time (30, 7, 1 days) however often and however concurrently the scan reruns', async () => {
    const key = (await createKey(app, owner, userKey('warn-me', inDays(40)))).apiKey;
    const expiry = servicesOf(app).expiry;
    const t0 = Date.now();
    await expiry.scan(new Date(t0));
    expect((await notifications(app, owner)).nodes.filter((n) => n.keyId === key.id)).toHaveLength(0);

    for (const daysLater of [11, 34, 39.5]) {
      const at = new Date(t0 + daysLater * DAY);
      await Promise.all([expiry.scan(at), expiry.scan(at), expiry.scan(at)]);
      await expiry.scan(at);
    }
    const warnings = (await notifications(app, owner)).nodes.filter((n) => n.keyId === key.id);
    expect(warnings.map((n) => n.kind)).toEqual(['key_expiring', 'key_expiring', 'key_expiring']);
    expect(warnings.map((n) => n.title).reverse()).toEqual([
      'API key “warn-me” expires in 29 days',
      'API key “warn-me” expires in 6 days',
      'API key “warn-me” expires in 1 day',
    ]);
    const notices = await db.collection('expiry_notices').find({ keyId: key.id }).toArray();
    expect(notices.map((n) => n.leadDays as number).sort((a, b) => b - a)).toEqual([30, 7, 1]);
    expect(notices.every((n) => n.state === 'sent')).toBe(true);
    const hooks = (await deliveriesOf(db, 'key.expiring')).filter((d) => d.eventId.includes(key.id));
    expect(new Set(hooks.map((h) => h.eventId)).size).toBe(3);
    expect(hooks).toHaveLength(3);
    // The webhook says which lead time; it never carries a secret.
    expect(hooks.map((h) => (JSON.parse(h.body) as { data: { leadDays: number } }).data.leadDays).sort((a, b) => b - a)).toEqual([30, 7, 1]);
  });

  it('a key issued inside a lead time gets only the tightest warning that applies', async () => {
    const key = (await createKey(app, owner, userKey('short-lived', inDays(5)))).apiKey;
    await servicesOf(app).expiry.scan(new Date());
    await servicesOf(app).expiry.scan(new Date());
    const notices = await db.collection('expiry_notices').find({ keyId: key.id }).toArray();
    expect(notices.map((n) => n.leadDays)).toEqual([7]);
  });

  it('notifications are the signed-in user’s own, can be marked read and arrive live', async () => {
    const client = wsClient(app.wsUrl, owner);
    const sub = subscribe<{ notificationReceived: { kind: string; keyId: string; title: string } }>(client, 'subscription { notificationReceived { kind keyId title } }');
    let liveKeyId = '';
    try {
      await new Promise((r) => setTimeout(r, 300)); // the subscription is registered
      const key = (await createKey(app, owner, userKey('live', inDays(3)))).apiKey;
      liveKeyId = key.id;
      await servicesOf(app).expiry.scan(new Date());
      const live = await sub.next(10_000);
      expect(live.notificationReceived).toMatchObject({ kind: 'key_expiring', keyId: key.id });
    } finally {
      sub.dispose();
      await client.dispose();
    }
    const before = await notifications(app, owner, true);
    const first = before.nodes.find((n) => n.keyId === liveKeyId);
    expect(first).toMatchObject({ kind: 'key_expiring', keyId: liveKeyId, readAt: null });
    const read = 'mutation($id:ID!){ markNotificationRead(id:$id){ id readAt } }';
    const r1 = await gqlOk<{ markNotificationRead: { readAt: string } }>(app.url, read, { id: first?.id }, { token: owner });
    const r2 = await gqlOk<{ markNotificationRead: { readAt: string } }>(app.url, read, { id: first?.id }, { token: owner });
    expect(r2.markNotificationRead.readAt).toBe(r1.markNotificationRead.readAt);
    expect((await notifications(app, owner, true)).unreadCount).toBe(before.unreadCount - 1);
    // Another user cannot see or mark it.
    const other = await createUser(app, owner, ['viewer']);
    expect((await notifications(app, other.token)).nodes).toHaveLength(0);
    const denied = await gql(app.url, read, { id: first?.id }, { token: other.token });
    expect(denied.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  it('at expiry the key stops verifying at once; after the grace period the job marks it expired, once', async () => {
    const { verifier } = await verifierSetup(app);
    const created = await createKey(app, owner, userKey('expire-me', inDays(10)));
    const key = created.apiKey;
    // Expiry reached: verification refuses the key before any job has run.
    await apiKeyModel(db).updateOne({ _id: key.id }, { $set: { expiresAt: new Date(Date.now() - 1000) } });
    const v = await verifyHttp(app, verifier, { key: created.secret });
    expect(v.body.code).toBe('EXPIRED');
    expect((await getKey(app, owner, key.id)).status).toBe('active');

    const changed: { keyId?: string }[] = [];
    const unsubscribe = await servicesOf(app).pubsub.subscribe(Topic.keyChanged, (m) => changed.push(m as { keyId?: string }));
    const added: { name: string; data: unknown; opts: { jobId?: string } }[] = [];
    const archivalQueue = { add: async (name: string, data: unknown, opts: { jobId?: string }) => void added.push({ name, data, opts }) };
    const processor = createExpiryProcessor(servicesOf(app), archivalQueue as never);
    try {
      await processor({ name: EXPIRY_SCAN_JOB, data: {} } as Job);
      await processor({ name: EXPIRY_SCAN_JOB, data: {} } as Job);
      const after = await getKey(app, owner, key.id);
      expect(after.status).toBe('expired');
      await new Promise((r) => setTimeout(r, 300));
      expect(changed.some((m) => m.keyId === key.id)).toBe(true);
    } finally {
      await unsubscribe();
    }
    const expiredHooks = (await deliveriesOf(db, 'key.expired')).filter((d) => d.eventId.includes(key.id));
    expect(expiredHooks).toHaveLength(1);
    const expiredNotes = (await notifications(app, owner)).nodes.filter((n) => n.keyId === key.id && n.kind === 'key_expired');
    expect(expiredNotes).toHaveLength(1);
    const audit = await servicesOf(app).audit.list((await meOf(app, owner)).orgId, { targetId: key.id, action: 'key.expired' });
    expect(audit.nodes).toHaveLength(1);
    expect(audit.nodes[0]?.actor).toEqual({ type: 'system', id: 'jobs:expiry' });
    // Its history goes to the archival queue, once per key (a deterministic job id).
    const history = added.filter((a) => a.name === KEY_HISTORY_JOB && (a.data as { keyId: string }).keyId === key.id);
    expect(history).toHaveLength(1);
    expect(history[0]?.opts.jobId).toBe(keyHistoryJobId(key.id));
  });

  it('the grace period (EXPIRY_GRACE_SECONDS) delays the status change, not the refusal', async () => {
    const graceApp = await startTestApp({ env: { EXPIRY_GRACE_SECONDS: '3600' } });
    try {
      const token = await loginOwner(graceApp);
      const key = (await createKey(graceApp, token, userKey('grace', inDays(10)))).apiKey;
      const expiresAt = Date.now() + 10 * DAY;
      await servicesOf(graceApp).expiry.scan(new Date(expiresAt + 60_000));
      expect((await getKey(graceApp, token, key.id)).status).toBe('active');
      await servicesOf(graceApp).expiry.scan(new Date(expiresAt + 3_601_000));
      expect((await getKey(graceApp, token, key.id)).status).toBe('expired');
    } finally {
      await graceApp.stop();
    }
  });
});
