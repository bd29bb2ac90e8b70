import { Queue } from 'bullmq';
import { QueueName } from '@latchkey/schema';
import type { Connection } from 'mongoose';
import { startTestApp, type TestApp } from '../harness/app';
import { gqlOk } from '../harness/graphql';
import { startNodeProcess, type NodeProcess } from '../harness/node-process';
import { startPrivateRedis, type PrivateRedis } from '../harness/redis-server';
import { dbOf } from '../keys/key-helpers';
import { startLoad, tally, timeline, sleep, until } from '../reliability/load';
import { serviceKey, verifierSetup, verifyHttp } from '../verify/verify-helpers';
import { startReceiver, type Receiver } from '../webhooks/webhook-harness';

const KILL_AT = 4_000;
const RESTART_AT = 9_000;
const RUN_MS = 16_000;

/**
 * Reliability case 12. Redis (AOF, as in production) is SIGKILLed under verify and
 * management load and restarted 5 s later. Node A runs the default policy
 * (fail_open_local_limits), node C of the same deployment fail_closed; a worker process
 * delivers webhooks. The short in-process version is faults/redis-outage.test.ts.
 */
describe('Redis killed during load', () => {
  let redis: PrivateRedis;
  let a: TestApp;
  let c: TestApp;
  let worker: NodeProcess;
  let receiver: Receiver;
  let db: Connection;
  let token: string;
  let verifier: string;
  let key: string;
  beforeAll(async () => {
    redis = await startPrivateRedis({ durable: true });
    a = await startTestApp({ env: { REDIS_URL: redis.url } });
    c = await startTestApp({ db: a.config.MONGODB_DB, prefix: a.config.REDIS_PREFIX, env: { REDIS_URL: redis.url, REDIS_DOWN_POLICY: 'fail_closed' } });
    worker = await startNodeProcess(a, 'jobs', { REDIS_URL: redis.url });
    receiver = await startReceiver();
    db = await dbOf(a);
    ({ token, verifier } = await verifierSetup(a));
    key = (await serviceKey(a, token, { rateLimit: { perSecond: 100_000 } })).secret;
    await gqlOk(a.url, 'mutation($u:String!){ createWebhookEndpoint(input:{url:$u, events:["key.created"]}){ secret } }', { u: `${receiver.url}/hook` }, { token });
  }, 120_000);
  afterAll(async () => {
    await worker?.stop();
    await c?.stop();
    await a?.stop();
    await db?.close();
    await receiver?.close();
    await redis?.stop();
  });

  it('follows the documented policy on each node, answers no 5xx storm, recovers within seconds and loses no job', async () => {
    const verifyOn = (app: TestApp) => async () => {
      const r = await verifyHttp(app, verifier, { key });
      return { status: r.status, code: r.body.code ?? r.body.error?.code ?? '?' };
    };
    let n = 0;
    const manage = async () => {
      await sleep(250);
      const r = await fetch(`${a.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: 'mutation($n:String!){ createApplication(input:{name:$n}){ id } }', variables: { n: `app-${n++}` } }),
      });
      const body = (await r.json()) as { errors?: { extensions?: { code?: string } }[] };
      return { status: r.status, code: body.errors?.[0]?.extensions?.code ?? 'OK' };
    };
    const loadA = startLoad(verifyOn(a), { concurrency: 6, durationMs: RUN_MS });
    const loadC = startLoad(verifyOn(c), { concurrency: 2, durationMs: RUN_MS });
    const loadM = startLoad(manage, { concurrency: 1, durationMs: RUN_MS });
    const created: string[] = [];
    const creating = (async () => {
      while (Date.now() - loadA.startedAt < RUN_MS) {
        const k = await serviceKey(a, token).catch(() => null); // key.created → one webhook delivery each
        if (k) created.push(k.id);
        await sleep(400);
      }
    })();
    await sleep(KILL_AT);
    await redis.kill();
    const readyDown = await until(async () => (await fetch(`${a.url}/readyz`)).status === 503, 10_000);
    const readyBody = await (await fetch(`${a.url}/readyz`)).json();
    // fail_closed on Latchkey's own /graphql door too: 503, not a 500 from context creation.
    await sleep(300);
    const gqlC = await fetch(`${c.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: '{"query":"{ serverInfo { version } }"}',
    });
    const gqlCBody = await gqlC.text();
    await sleep(Math.max(0, RESTART_AT - KILL_AT - readyDown - 300));
    await redis.restart();
    const restartedAt = Date.now() - loadA.startedAt;
    const readyBack = await until(async () => (await fetch(`${a.url}/readyz`)).status === 200, 30_000);
    const fallbacksAtReady = a.server.services.verify.fallbacks;
    await Promise.all([loadA.done, loadC.done, loadM.done, creating]);
    const fallbacksAfter = a.server.services.verify.fallbacks;

    process.stdout.write(`node A (fail_open_local_limits), per second:\n${timeline(loadA.samples, RUN_MS / 1000)}\n`);
    process.stdout.write(`node C (fail_closed), per second:\n${timeline(loadC.samples, RUN_MS / 1000)}\n`);
    process.stdout.write(`management on A, per second:\n${timeline(loadM.samples, RUN_MS / 1000)}\n`);
    process.stdout.write(
      `readyz: 503 ${readyDown} ms after the kill (${JSON.stringify(readyBody)}), 200 ${readyBack} ms after the restart (at ${restartedAt} ms); ` +
        `fallbacks ${fallbacksAtReady} at ready, ${fallbacksAfter} at the end\n`,
    );

    // Node A: never a 5xx; keys keep verifying through the outage (local limits).
    expect(loadA.samples.filter((s) => s.status >= 500 || s.status === 0)).toEqual([]);
    const during = tally(loadA.samples, KILL_AT + 500, RESTART_AT, (s) => s.code);
    expect(during.VALID ?? 0).toBeGreaterThan(0);
    expect(readyBody).toMatchObject({ status: 'unavailable', down: ['redis'] });
    expect(readyBack).toBeLessThan(10_000);
    // Once ready, verification is back on Redis: no further local-limiter answers.
    expect(fallbacksAfter - fallbacksAtReady).toBeLessThanOrEqual(6);
    // Node C: 503 SERVICE_UNAVAILABLE while Redis is away, 200 before and after.
    const cDuring = tally(loadC.samples, KILL_AT + 1_000, RESTART_AT, (s) => `${s.status}:${s.code}`);
    expect(Object.keys(cDuring)).toEqual(['503:SERVICE_UNAVAILABLE']);
    const cAfter = tally(loadC.samples, restartedAt + readyBack + 1_000, RUN_MS, (s) => `${s.status}`);
    expect(Object.keys(cAfter)).toEqual(['200']);
    expect({ status: gqlC.status, body: gqlCBody }).toEqual({ status: 503, body: expect.stringContaining('SERVICE_UNAVAILABLE') });
    // Management: refused with 503 while its locks are unreachable, never a 500.
    expect(loadM.samples.filter((s) => s.status === 500 || s.status === 0)).toEqual([]);

    // Jobs: every delivery recorded in MongoDB is delivered (the sweep re-queues what the
    // outage kept from being queued), none twice, and the queue's books balance.
    const deliveries = () => db.collection('webhook_deliveries').find({ eventType: 'key.created' }).toArray();
    const settled = await until(async () => (await deliveries()).every((d) => d.status === 'succeeded' || d.status === 'dead'), 200_000, 1_000);
    const all = await deliveries();
    const received = receiver.requests.map((r) => String(r.headers['webhook-id']));
    const queue = new Queue(QueueName.webhooks, { connection: { url: redis.url }, prefix: `${a.config.REDIS_PREFIX}:bull` });
    const jobs = (await queue.getJobs(['completed', 'failed', 'waiting', 'active', 'delayed'])).filter((j) => j.name === 'deliver');
    const counts = { completed: 0, failed: 0, open: 0 };
    for (const j of jobs) {
      const state = await j.getState();
      if (state === 'completed') counts.completed++;
      else if (state === 'failed') counts.failed++;
      else counts.open++;
    }
    await queue.close();
    process.stdout.write(
      `webhooks: ${created.length} keys created, ${all.length} deliveries recorded, settled ${settled} ms after the load; ` +
        `${received.length} received (${new Set(received).size} distinct); ` +
        `jobs ${jobs.length} = completed ${counts.completed} + failed ${counts.failed} + open ${counts.open}\n`,
    );
    expect(all.length).toBe(created.length);
    expect(all.every((d) => d.status === 'succeeded')).toBe(true);
    expect(new Set(received).size).toBe(all.length);
    expect(counts.open).toBe(0);
    expect(counts.completed + counts.failed).toBe(jobs.length);
    expect(jobs.length).toBe(all.length);
  }, 400_000);
});
