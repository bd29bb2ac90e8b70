import 'reflect-metadata';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Worker } from 'bullmq';
import { createWebhookQueue, WebhookService, type AppServices, type Resolver, type WebhookQueue } from '@latchkey/server';
import { postWebhook } from '@latchkey/server/testing';
import { ACTOR, newOrgId, startReceiver, startServices, startWorker, stopServices, waitFor, type Receiver, must } from './webhook-harness';

// Nothing here ever connects anywhere but 127.0.0.1: refused addresses are refused
// before a socket opens, and the public address the rebinding resolver answers at
// registration is never dialled.
const REFUSED_WITHOUT_SWITCH = [
  'http://127.0.0.1:8080/hook',
  'http://169.254.169.254/latest/meta-data/',
  'http://10.0.0.1/',
  'http://192.168.1.1/',
  'http://172.16.0.1/',
  'http://[::1]/',
  'http://[::ffff:127.0.0.1]/',
  'http://[::ffff:10.0.0.1]/',
  'http://2130706433/',
  'http://0177.0.0.1/',
  'http://0x7f.1/',
  'http://localhost:8080/', // resolves to loopback
];

describe('webhook SSRF protection', () => {
  let strict: AppServices;
  let loose: AppServices;
  let receiver: Receiver;

  beforeAll(async () => {
    strict = await startServices({ LATCHKEY_WEBHOOK_ALLOW_LOOPBACK: 'false' });
    loose = await startServices({ LATCHKEY_WEBHOOK_ALLOW_LOOPBACK: 'true' });
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await receiver.close();
    await stopServices(strict);
    await stopServices(loose);
  });

  it.each(REFUSED_WITHOUT_SWITCH)('refuses to register %s without the loopback switch', async (url) => {
    const err = await strict.webhooks.createEndpoint(newOrgId(), { url }, ACTOR).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'BAD_USER_INPUT', details: { fields: [{ path: ['input', 'url'] }] } });
  });

  it.each(['http://10.0.0.1/', 'http://169.254.169.254/', 'http://[::ffff:192.168.0.1]/', 'http://0.0.0.0:9/', 'http://[fd00:ec2::254]/'])(
    'refuses %s even with the loopback switch on',
    async (url) => {
      await expect(loose.webhooks.createEndpoint(newOrgId(), { url }, ACTOR)).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
    },
  );

  it('accepts loopback, and only loopback, with the switch on', async () => {
    const { endpoint } = await loose.webhooks.createEndpoint(newOrgId(), { url: `${receiver.url}/ok` }, ACTOR);
    expect(endpoint.url).toBe(`${receiver.url}/ok`);
  });

  it('checks again at connect time, so a host re-pointed at loopback after registration is refused (DNS rebinding)', async () => {
    let calls = 0;
    // Public at registration, loopback at delivery time.
    const rebinding: Resolver = async () => [{ address: ++calls === 1 ? '93.184.216.34' : '127.0.0.1', family: 4 }];
    const queue: WebhookQueue = createWebhookQueue(strict.config);
    const webhooks = new WebhookService({ config: strict.config, logger: strict.logger, conn: strict.mongo.conn, redis: strict.redis, queue, resolve: rebinding });
    const worker: Worker = startWorker({ ...strict, webhooks } as AppServices, { resolve: rebinding });
    try {
      const port = new URL(receiver.url).port;
      const orgId = newOrgId();
      await webhooks.createEndpoint(orgId, { url: `http://rebind.test:${port}/rebound` }, ACTOR);
      const { deliveryIds } = await webhooks.emit(orgId, 'key.created', { keyId: 'key_1' });
      const d = await waitFor(async () => {
        const page = await webhooks.listDeliveries(orgId, {});
        const x = page.nodes.find((n) => n.id === deliveryIds[0]);
        return x && x.status === 'dead' ? x : null;
      }, 'refused delivery to be dead');
      expect(d.attempts).toHaveLength(1);
      expect(must(d.attempts[0]).error).toMatch(/127\.0\.0\.1 is a loopback address/);
      expect(receiver.requests.filter((r) => r.path === '/rebound')).toHaveLength(0);
    } finally {
      await worker.close();
      await queue.close();
    }
  });

  it('does not follow a redirect to an internal host: 3xx is a failed attempt', async () => {
    const worker = startWorker(loose);
    try {
      receiver.respond = () => ({ status: 302, headers: { location: 'http://10.0.0.1/admin' } });
      const orgId = newOrgId();
      await loose.webhooks.createEndpoint(orgId, { url: `${receiver.url}/redirect` }, ACTOR);
      const { deliveryIds } = await loose.webhooks.emit(orgId, 'key.created', { keyId: 'key_2' });
      const d = await waitFor(async () => {
        const x = (await loose.webhooks.listDeliveries(orgId, {})).nodes.find((n) => n.id === deliveryIds[0]);
        return x && x.status === 'dead' ? x : null;
      }, 'redirected delivery to be dead');
      expect(d.attempts.map((a) => a.statusCode)).toEqual([302, 302, 302]);
      expect(must(d.attempts[0]).error).toMatch(/redirect \(302\) not followed/);
      expect(receiver.requests.filter((r) => r.path === '/redirect')).toHaveLength(3);
    } finally {
      receiver.respond = () => ({ status: 204 });
      await worker.close();
    }
  });
});

describe('webhook HTTP attempt', () => {
  let receiver: Receiver;
  let silent: Server;
  let silentUrl: string;
  beforeAll(async () => {
    receiver = await startReceiver();
    silent = createServer(() => undefined); // accepts, never answers
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
    silentUrl = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/`;
  });
  afterAll(async () => {
    silent.closeAllConnections();
    await new Promise<void>((r) => silent.close(() => r()));
    await receiver.close();
  });
  const opts = { timeoutMs: 300, allowLoopback: false, userAgent: 'test' };

  it('refuses an IP-literal loopback URL before connecting', async () => {
    const r = await postWebhook(`${receiver.url}/x`, {}, '{}', opts);
    expect(r).toMatchObject({ refused: true });
    expect(r.error).toMatch(/loopback/);
    expect(receiver.requests).toHaveLength(0);
  });

  it('refuses a host name that resolves to loopback, in the connect-time lookup', async () => {
    const r = await postWebhook(`http://localhost:${new URL(receiver.url).port}/x`, {}, '{}', opts);
    expect(r).toMatchObject({ refused: true });
    expect(receiver.requests).toHaveLength(0);
  });

  it('gives up on a receiver that does not answer within the deadline', async () => {
    const r = await postWebhook(silentUrl, {}, '{}', { ...opts, allowLoopback: true });
    expect(r.error).toMatch(/timed out after 300 ms/);
    expect(r.latencyMs).toBeGreaterThanOrEqual(290);
  });
});
