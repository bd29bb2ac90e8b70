import type { Job } from 'bullmq';
import type { Connection } from 'mongoose';
import { KeySystemTransitions } from '@latchkey/server';
import { apiKeyModel } from '@latchkey/server/testing';
import { createRotationProcessor, FINISH_ROTATIONS_JOB, ROTATION_SCAN_JOB } from '@latchkey/jobs';
import { startTestApp, type TestApp } from '../harness/app';
import { gql, gqlOk } from '../harness/graphql';
import { verifierSetup, verifyHttp } from '../verify/verify-helpers';
import {
  addWebhookEndpoint,
  createKey,
  createUser,
  dbOf,
  deliveriesOf,
  getKey,
  inDays,
  KEY_FIELDS,
  loginOwner,
  meOf,
  notifications,
  servicesOf,
  waitFor,
  type ApiKeyView,
} from './jobs-helpers';

const CLAIM = `mutation($k:ID!){ claimRotatedKey(keyId:$k){ apiKey { ${KEY_FIELDS} } secret } }`;

/** Scheduled rotation per key policy, the one-time claim, the end of the overlap (docs/JOBS.md). */
describe('scheduled rotation', () => {
  let app: TestApp;
  let owner: string;
  let db: Connection;
  let verifier: string;
  const rotatingKey = (name: string, gracePeriodSeconds: number) => ({
    name,
    type: 'user',
    subtype: 'personal',
    scopes: ['keys:read'],
    expiresAt: inDays(80),
    rotationPolicy: { everyDays: 30, gracePeriodSeconds },
  });
  const dueAt = async (id: string) => ((await apiKeyModel(db).findOne({ _id: id }).lean().exec())?.nextRotationAt as Date);

  beforeAll(async () => {
    app = await startTestApp();
    owner = await loginOwner(app);
    db = await dbOf(app);
    verifier = (await verifierSetup(app)).verifier;
    await addWebhookEndpoint(app, owner);
  });
  afterAll(async () => {
    await db?.close();
    await app?.stop();
  });

  it('rotates a due key once per due time, the owner claims the successor’s secret once, the old key is revoked after its grace period', async () => {
    const created = await createKey(app, owner, rotatingKey('scheduled', 2));
    const old = created.apiKey;
    const due = await dueAt(old.id);
    expect(due.getTime()).toBeGreaterThan(Date.now() + 29 * 86_400_000);
    const rotation = servicesOf(app).rotation;
    // Not due yet: nothing happens.
    expect((await rotation.run(new Date())).rotated).toBe(0);
    // Due: several runs at once (workers, reruns) rotate it exactly once.
    const runs = await Promise.all([rotation.run(due), rotation.run(due), rotation.run(due), rotation.run(due)]);
    expect(runs.reduce((n, r) => n + r.rotated, 0)).toBe(1);
    expect((await rotation.run(due)).rotated).toBe(0);
    const successors = await apiKeyModel(db).find({ rotatedFromId: old.id }).lean().exec();
    expect(successors).toHaveLength(1);
    const next = await getKey(app, owner, String(successors[0]?._id));
    const previous = await getKey(app, owner, old.id);
    expect(previous.status).toBe('rotating');
    expect(previous.rotatedToId).toBe(next.id);
    // Same configuration, fresh value, a claim window, its own next rotation.
    expect(next).toMatchObject({ status: 'active', type: 'user', subtype: 'personal', scopes: ['keys:read'], ownerId: old.ownerId, rotatedFromId: old.id });
    expect(next.claimExpiresAt).not.toBeNull();
    expect((await dueAt(next.id)).getTime()).toBeGreaterThan(due.getTime());
    const orgId = (await meOf(app, owner)).orgId;
    const rotated = await servicesOf(app).audit.list(orgId, { targetId: old.id, action: 'key.rotated' });
    expect(rotated.nodes[0]?.actor).toEqual({ type: 'system', id: 'jobs:rotation' });

    // The owner is told where to claim it.
    const note = (await notifications(app, owner)).nodes.find((n) => n.kind === 'key_rotated' && n.keyId === next.id);
    expect(note?.body).toContain(`claimRotatedKey(keyId: "${next.id}")`);

    // Someone else cannot claim it; the owner can, once.
    const stranger = await createUser(app, owner, ['developer']);
    expect((await gql(app.url, CLAIM, { k: next.id }, { token: stranger.token })).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const claimed = await gqlOk<{ claimRotatedKey: { apiKey: ApiKeyView; secret: string } }>(app.url, CLAIM, { k: next.id }, { token: owner });
    const secret = claimed.claimRotatedKey.secret;
    expect(secret).toMatch(/^lk_dev_|^lk_stg_|^lk_prd_/);
    expect(claimed.claimRotatedKey.apiKey.claimExpiresAt).toBeNull();
    const again = await gql(app.url, CLAIM, { k: next.id }, { token: owner });
    expect(again.errors?.[0]?.extensions?.code).toBe('INVALID_STATE');
    expect((await verifyHttp(app, verifier, { key: secret })).body).toMatchObject({ code: 'VALID', keyId: next.id });
    expect((await verifyHttp(app, verifier, { key: created.secret })).body).toMatchObject({ code: 'VALID', keyId: old.id });

    // The secret never travelled: not in any notification, webhook or audit event.
    const everything = JSON.stringify([
      await notifications(app, owner),
      await deliveriesOf(db, 'key.rotated'),
      await deliveriesOf(db, 'key.created'),
      await servicesOf(app).audit.list(orgId, {}, { first: 100 }),
    ]);
    expect(everything).not.toContain(secret);

    // After the grace period the old key is revoked by the rotation queue's overlap job.
    await new Promise((r) => setTimeout(r, 2_100));
    const processor = createRotationProcessor(servicesOf(app));
    await processor({ name: FINISH_ROTATIONS_JOB, data: {} } as Job);
    expect((await getKey(app, owner, old.id)).status).toBe('revoked');
    expect((await verifyHttp(app, verifier, { key: created.secret })).body.code).toBe('REVOKED');
    expect((await verifyHttp(app, verifier, { key: secret })).body.code).toBe('VALID');
    // The scan job is the same service.
    expect(await processor({ name: ROTATION_SCAN_JOB, data: {} } as Job)).toMatchObject({ rotated: 0 });
  });

  it('a rotation interrupted before its secret was sealed is finished by the next run with a value nobody has seen', async () => {
    const created = await createKey(app, owner, rotatingKey('interrupted', 3600));
    const due = await dueAt(created.apiKey.id);
    const s = servicesOf(app);
    const system = new KeySystemTransitions({
      conn: s.mongo.conn,
      redis: s.redis,
      pubsub: s.pubsub,
      config: s.config,
      logger: s.logger,
      audit: s.audit,
      orgs: s.orgs,
      orgPolicy: s.orgPolicy,
      roles: s.roles,
      users: s.users,
      applications: s.applications,
      webhooks: s.webhooks,
    });
    // What a worker killed right after the rotation leaves: the successor, a `started` run, no sealed secret.
    const lost = await system.rotate({ _id: created.apiKey.id, orgId: (await meOf(app, owner)).orgId });
    const longAgo = new Date(Date.now() - 5 * 60_000);
    await db.collection('rotation_runs').insertOne({
      _id: `${created.apiKey.id}:${due.getTime()}` as never,
      orgId: (await meOf(app, owner)).orgId,
      keyId: created.apiKey.id,
      dueAt: due,
      state: 'started',
      successorId: null,
      reason: null,
      createdAt: longAgo,
      updatedAt: longAgo,
    });
    await apiKeyModel(db).updateOne({ _id: lost.key._id }, { $set: { createdAt: new Date(Date.now() - 60_000) } });

    const r = await servicesOf(app).rotation.run(new Date());
    expect(r.recovered).toBe(1);
    const claimed = await gqlOk<{ claimRotatedKey: { secret: string } }>(app.url, CLAIM, { k: lost.key._id }, { token: owner });
    expect(claimed.claimRotatedKey.secret).not.toBe(lost.secret);
    expect((await verifyHttp(app, verifier, { key: claimed.claimRotatedKey.secret })).body.code).toBe('VALID');
    expect((await verifyHttp(app, verifier, { key: lost.secret })).body.code).toBe('NOT_FOUND');
  });

  it('near the end of an overlap, an old key still in use is reported to its owner once, with the clients seen', async () => {
    const created = await createKey(app, owner, { name: 'still-used', type: 'user', subtype: 'personal', scopes: ['keys:read'], expiresAt: inDays(80) });
    const r = await gqlOk<{ rotateApiKey: { previous: ApiKeyView } }>(
      app.url,
      'mutation($id:ID!){ rotateApiKey(id:$id, gracePeriodSeconds: 1800){ previous { id status } } }',
      { id: created.apiKey.id },
      { token: owner },
    );
    expect(r.rotateApiKey.previous.status).toBe('rotating');
    // A client keeps using the old key (lastUsedAt comes from verify's buffered signals).
    expect((await verifyHttp(app, verifier, { key: created.secret })).body.code).toBe('VALID');
    await waitFor(async () => (await getKey(app, owner, created.apiKey.id)).lastUsedAt, 'lastUsedAt');
    const orgId = (await meOf(app, owner)).orgId;
    await db.collection('request_logs').insertOne({ orgId, keyId: created.apiKey.id, at: new Date(), ip: '203.0.113.7' });

    await servicesOf(app).rotation.run(new Date());
    await servicesOf(app).rotation.run(new Date());
    const reports = (await notifications(app, owner)).nodes.filter((n) => n.kind === 'rotated_key_still_used' && n.keyId === created.apiKey.id);
    expect(reports).toHaveLength(1);
    expect(reports[0]?.body).toContain('203.0.113.7');
    // The alerts module hears about it too (one alert per key and window: the verify-time
    // detector and this report fold into the same one).
    const alerts = await gqlOk<{ alerts: { nodes: { type: string; keyId: string; count: number }[] } }>(
      app.url, '{ alerts(first: 50) { nodes { type keyId count } } }', {}, { token: owner },
    );
    const alert = alerts.alerts.nodes.find((a) => a.type === 'ROTATED_KEY_GRACE_ENDING' && a.keyId === created.apiKey.id);
    expect(alert?.count).toBeGreaterThanOrEqual(1);
  });
});
