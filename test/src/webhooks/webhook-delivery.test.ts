import 'reflect-metadata';
import type { Worker } from 'bullmq';
import { Webhook } from 'standardwebhooks';
import { WebhookService, type AppServices, type DeadLetterInfo, type WebhookDeliveryView } from '@latchkey/server';
import { ACTOR, newOrgId, startReceiver, startServices, startWorker, stopServices, waitFor, type Receiver, must } from './webhook-harness';

describe('webhook delivery', () => {
  let services: AppServices;
  let receiver: Receiver;
  let worker: Worker;
  const deadLetters: DeadLetterInfo[] = [];

  beforeAll(async () => {
    services = await startServices();
    receiver = await startReceiver();
    worker = startWorker(services, { onDeadLetter: (info) => void deadLetters.push(info) });
  });
  afterAll(async () => {
    await worker.close();
    await worker.close();
    await receiver.close();
    await stopServices(services);
  });
  beforeEach(() => {
    receiver.requests.length = 0;
    receiver.respond = () => ({ status: 204 });
  });

  const delivery = async (orgId: string, id: string): Promise<WebhookDeliveryView> => {
    const page = await services.webhooks.listDeliveries(orgId, { first: 100 });
    const d = page.nodes.find((n) => n.id === id);
    if (!d) throw new Error(`delivery ${id} not listed`);
    return d;
  };
  const settled = (orgId: string, id: string, status: string) =>
    waitFor(async () => {
      const d = await delivery(orgId, id);
      return d.status === status ? d : null;
    }, `delivery ${id} to be ${status}`);

  it('signs each delivery so an independent Standard Webhooks verifier accepts it', async () => {
    const orgId = newOrgId();
    const { endpoint, secret } = await services.webhooks.createEndpoint(orgId, { url: `${receiver.url}/in` }, ACTOR);
    const { deliveryIds } = await services.webhooks.emit(orgId, 'key.created', { keyId: 'key_1', name: 'ci', secret: 'lk_prd_should_never_leave' });
    expect(deliveryIds).toHaveLength(1);
    await settled(orgId, deliveryIds[0] as string, 'succeeded');

    expect(receiver.requests).toHaveLength(1);
    const req = must(receiver.requests[0]);
    expect(req.headers['webhook-id']).toBe(deliveryIds[0]);
    expect(req.headers['content-type']).toBe('application/json');
    const verified = new Webhook(secret).verify(req.body, req.headers as Record<string, string>) as Record<string, unknown>;
    expect(verified).toMatchObject({ type: 'key.created', data: { keyId: 'key_1', name: 'ci' } });
    expect(new Date(verified.timestamp as string).getTime()).toBeGreaterThan(Date.now() - 60_000);
    // A secret-looking field never leaves, and neither does the endpoint's own secret.
    expect(req.body).not.toContain('lk_prd_should_never_leave');
    expect(req.body).not.toContain(secret.slice(6));
    expect(endpoint.id).toMatch(/^whk_/);
  });

  it('during a rotation carries both signatures, each verifying with its own secret', async () => {
    const orgId = newOrgId();
    const created = await services.webhooks.createEndpoint(orgId, { url: `${receiver.url}/rot` }, ACTOR);
    const rotated = await services.webhooks.rotateSecret(orgId, created.endpoint.id, ACTOR);
    expect(rotated.secret).not.toBe(created.secret);
    expect(must(rotated.endpoint.previousSecretExpiresAt).getTime()).toBeGreaterThan(Date.now() + 23 * 3600_000);

    const { deliveryIds } = await services.webhooks.emit(orgId, 'key.rotated', { keyId: 'key_2' });
    await settled(orgId, deliveryIds[0] as string, 'succeeded');
    const req = must(receiver.requests[0]);
    expect(String(req.headers['webhook-signature']).split(' ')).toHaveLength(2);
    expect(() => new Webhook(rotated.secret).verify(req.body, req.headers as Record<string, string>)).not.toThrow();
    expect(() => new Webhook(created.secret).verify(req.body, req.headers as Record<string, string>)).not.toThrow();

    // With no overlap the old secret stops signing at once.
    const again = await services.webhooks.rotateSecret(orgId, created.endpoint.id, ACTOR, 0);
    receiver.requests.length = 0;
    const second = await services.webhooks.emit(orgId, 'key.rotated', { keyId: 'key_3' });
    await settled(orgId, second.deliveryIds[0] as string, 'succeeded');
    const r2 = must(receiver.requests[0]);
    expect(String(r2.headers['webhook-signature']).split(' ')).toHaveLength(1);
    expect(() => new Webhook(again.secret).verify(r2.body, r2.headers as Record<string, string>)).not.toThrow();
    expect(() => new Webhook(rotated.secret).verify(r2.body, r2.headers as Record<string, string>)).toThrow();
  });

  it('retries on the schedule: a receiver failing twice then answering 200 gets 3 attempts', async () => {
    const orgId = newOrgId();
    receiver.respond = (n) => (n <= 2 ? { status: 500, body: 'boom' } : { status: 200 });
    await services.webhooks.createEndpoint(orgId, { url: `${receiver.url}/flaky` }, ACTOR);
    const { deliveryIds } = await services.webhooks.emit(orgId, 'key.revoked', { keyId: 'key_4' });
    const d = await settled(orgId, deliveryIds[0] as string, 'succeeded');
    expect(d.attempts.map((a) => [a.attempt, a.statusCode, a.success])).toEqual([
      [1, 500, false],
      [2, 500, false],
      [3, 200, true],
    ]);
    expect(must(d.attempts[0]).error).toMatch(/HTTP 500/);
    expect(must(d.attempts[0]).responseSnippet).toBe('boom');
    expect(d.attempts.every((a) => a.latencyMs >= 0)).toBe(true);
    // The webhook-id is the same on every attempt, so receivers can de-duplicate.
    expect(new Set(receiver.requests.map((r) => r.headers['webhook-id']))).toEqual(new Set([deliveryIds[0]]));
  });

  it('a 410 answer disables the endpoint and stops retrying', async () => {
    const orgId = newOrgId();
    receiver.respond = () => ({ status: 410 });
    const { endpoint } = await services.webhooks.createEndpoint(orgId, { url: `${receiver.url}/gone` }, ACTOR);
    const { deliveryIds } = await services.webhooks.emit(orgId, 'key.expired', { keyId: 'key_5' });
    const d = await settled(orgId, deliveryIds[0] as string, 'dead');
    expect(d.attempts).toHaveLength(1);
    const ep = await waitFor(async () => {
      const e = await services.webhooks.getEndpoint(orgId, endpoint.id);
      return e.enabled ? null : e;
    }, 'endpoint disabled');
    expect(ep.disabledReason).toMatch(/410/);
    // A disabled endpoint receives nothing more.
    expect((await services.webhooks.emit(orgId, 'key.expired', { keyId: 'key_6' })).deliveryIds).toEqual([]);
  });

  it('dead-letters after the last attempt, alerts the owner hook, and a replay then succeeds', async () => {
    const orgId = newOrgId();
    receiver.respond = () => ({ status: 503 });
    await services.webhooks.createEndpoint(orgId, { url: `${receiver.url}/dl` }, ACTOR);
    const { deliveryIds } = await services.webhooks.emit(orgId, 'alert.raised', { alertId: 'alr_1' });
    const id = deliveryIds[0] as string;
    const dead = await settled(orgId, id, 'dead');
    expect(dead.attempts).toHaveLength(3);
    await waitFor(async () => deadLetters.find((x) => x.deliveryId === id), 'dead-letter hook');
    expect(deadLetters.find((x) => x.deliveryId === id)).toMatchObject({ orgId, attempts: 3, eventType: 'alert.raised' });

    // The replay's attempt is held at the receiver until the second replay has been tried,
    // so "in progress" does not depend on how fast this machine delivers.
    let release = () => {};
    const held = new Promise<void>((r) => (release = r));
    receiver.respond = async () => {
      await held;
      return { status: 200 };
    };
    const replayed = await services.webhooks.replayDelivery(orgId, id, ACTOR);
    expect(replayed).toMatchObject({ id, series: 2, status: 'pending' });
    // Replaying again while in progress is refused.
    await expect(services.webhooks.replayDelivery(orgId, id, ACTOR)).rejects.toMatchObject({ code: 'INVALID_STATE' });
    release();
    const ok = await settled(orgId, id, 'succeeded');
    expect(ok.attempts.map((a) => [a.series, a.attempt, a.success])).toEqual([
      [1, 1, false],
      [1, 2, false],
      [1, 3, false],
      [2, 1, true],
    ]);
    const bodies = new Set(receiver.requests.map((r) => r.body));
    expect(bodies.size).toBe(1);
  });

  it('fans out only to enabled endpoints subscribed to the event, once per event id', async () => {
    const orgId = newOrgId();
    const all = await services.webhooks.createEndpoint(orgId, { url: `${receiver.url}/all` }, ACTOR);
    const keysOnly = await services.webhooks.createEndpoint(orgId, { url: `${receiver.url}/keys`, events: ['key.created'] }, ACTOR);
    const off = await services.webhooks.createEndpoint(orgId, { url: `${receiver.url}/off` }, ACTOR);
    await services.webhooks.updateEndpoint(orgId, off.endpoint.id, { enabled: false, disabledReason: 'maintenance' }, ACTOR);

    const user = await services.webhooks.emit(orgId, 'user.created', { userId: 'usr_1' });
    expect(user.deliveryIds).toHaveLength(1);
    const key = await services.webhooks.emit(orgId, 'key.created', { keyId: 'key_7' }, { eventId: 'evt_fixed_1' });
    expect(key.deliveryIds).toHaveLength(2);
    const dup = await services.webhooks.emit(orgId, 'key.created', { keyId: 'key_7' }, { eventId: 'evt_fixed_1' });
    expect(dup.deliveryIds).toEqual([]);

    await waitFor(async () => receiver.requests.length >= 3, '3 requests');
    await new Promise((r) => setTimeout(r, 200));
    const paths = receiver.requests.map((r) => r.path).sort();
    expect(paths).toEqual(['/all', '/all', '/keys']);
    const page = await services.webhooks.listDeliveries(orgId, { endpointId: keysOnly.endpoint.id });
    expect(page.nodes).toHaveLength(1);
    expect(all.endpoint.events).toEqual([]);
  });

  it('sendTestWebhook delivers a webhook.test event to one endpoint whatever its filter', async () => {
    const orgId = newOrgId();
    const { endpoint, secret } = await services.webhooks.createEndpoint(orgId, { url: `${receiver.url}/t`, events: ['key.created'] }, ACTOR);
    const d = await services.webhooks.sendTest(orgId, endpoint.id, ACTOR);
    expect(d.eventType).toBe('webhook.test');
    await settled(orgId, d.id, 'succeeded');
    const body = new Webhook(secret).verify(must(receiver.requests[0]).body, must(receiver.requests[0]).headers as Record<string, string>);
    expect(body).toMatchObject({ type: 'webhook.test', data: { endpointId: endpoint.id } });
  });

  it('deliveries queued for a deleted endpoint are cancelled, not sent', async () => {
    const orgId = newOrgId();
    await worker.pause();
    try {
      const { endpoint } = await services.webhooks.createEndpoint(orgId, { url: `${receiver.url}/del` }, ACTOR);
      const { deliveryIds } = await services.webhooks.emit(orgId, 'key.suspended', { keyId: 'key_8' });
      await services.webhooks.deleteEndpoint(orgId, endpoint.id, ACTOR);
      worker.resume();
      const d = await settled(orgId, deliveryIds[0] as string, 'cancelled');
      expect(d.lastError).toMatch(/deleted/);
      expect(receiver.requests.filter((r) => r.path === '/del')).toHaveLength(0);
    } finally {
      worker.resume();
    }
  });

  it('a delivery whose job could not be queued at emit time is sent once the sweep runs', async () => {
    const orgId = newOrgId();
    const redisDown = { enqueue: () => Promise.reject(new Error('redis is away')), close: () => Promise.resolve() };
    const { config, logger, mongo, redis } = services;
    const producer = new WebhookService({ config, logger, conn: mongo.conn, redis, queue: redisDown });
    await services.webhooks.createEndpoint(orgId, { url: `${receiver.url}/sweep` }, ACTOR);
    const { deliveryIds } = await producer.emit(orgId, 'application.created', { applicationId: 'app_1' });
    const id = must(deliveryIds[0]);
    await new Promise((r) => setTimeout(r, 150));
    expect((await delivery(orgId, id)).status).toBe('pending');
    expect(await services.webhooks.createDeliveryService().requeueUnqueued(0)).toBeGreaterThanOrEqual(1);
    await settled(orgId, id, 'succeeded');
  });

  it('re-running an attempt that already succeeded is a no-op (at-least-once jobs)', async () => {
    const orgId = newOrgId();
    await services.webhooks.createEndpoint(orgId, { url: `${receiver.url}/once` }, ACTOR);
    const { deliveryIds } = await services.webhooks.emit(orgId, 'key.claimed', { keyId: 'key_9' });
    const id = must(deliveryIds[0]);
    await settled(orgId, id, 'succeeded');
    const again = services.webhooks.createDeliveryService();
    await expect(again.attempt(id, 1, 1)).resolves.toMatchObject({ kind: 'skipped' });
    await expect(again.attempt(id, 1, 2)).resolves.toMatchObject({ kind: 'skipped' });
    expect(receiver.requests.filter((r) => r.path === '/once')).toHaveLength(1);
    expect((await delivery(orgId, id)).attempts).toHaveLength(1);
  });
});
