import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Connection } from 'mongoose';
import { startTestApp, type TestApp } from '../harness/app';
import { gqlOk } from '../harness/graphql';
import { startNodeProcess, type NodeProcess } from '../harness/node-process';
import { createKey, dbOf, inDays, loginOwner, notifications } from '../jobs/jobs-helpers';
import { sleep, until } from './load';

const N = 60;

/**
 * Reliability case 14: a worker process SIGKILLed in the middle of a job, then a fresh
 * one started. BullMQ hands the interrupted job to another worker (at-least-once); the
 * processors must make that invisible to users. Archival is covered the same way by
 * jobs/archival-crash.test.ts (two kills mid-run, nothing lost or archived twice).
 */
describe('a worker killed mid-job', () => {
  let app: TestApp;
  let db: Connection;
  let owner: string;
  const workers: NodeProcess[] = [];
  beforeAll(async () => {
    app = await startTestApp();
    db = await dbOf(app);
    owner = await loginOwner(app);
  });
  afterAll(async () => {
    await Promise.all(workers.map((w) => w.stop('SIGKILL')));
    await db?.close();
    await app?.stop();
  });

  it(`scheduled rotation: ${N} due keys, the worker killed part-way — every key rotated exactly once`, async () => {
    const ids: string[] = [];
    for (let i = 0; i < N; i++) {
      const created = await createKey(app, owner, {
        name: `rot-${i}`,
        type: 'user',
        subtype: 'personal',
        scopes: ['keys:read'],
        expiresAt: inDays(80),
        rotationPolicy: { everyDays: 30, gracePeriodSeconds: 3600 },
      });
      ids.push(created.apiKey.id);
    }
    await db.collection('api_keys').updateMany({ _id: { $in: ids } } as never, { $set: { nextRotationAt: new Date(Date.now() - 1_000) } });
    const rotated = () => db.collection('api_keys').countDocuments({ rotatedFromId: { $in: ids } } as never);
    const env = { ROTATION_SCAN_EVERY_MS: '500' };
    const first = await startNodeProcess(app, 'jobs', env);
    workers.push(first);
    await until(async () => (await rotated()) > 0, 60_000, 20);
    await first.stop('SIGKILL');
    const atKill = await rotated();
    process.stdout.write(`rotation: worker SIGKILLed after ${atKill} of ${N} keys were rotated\n`);
    expect(atKill).toBeLessThan(N); // the kill really was mid-run
    const second = await startNodeProcess(app, 'jobs', env);
    workers.push(second);
    const t0 = Date.now();
    await until(async () => (await rotated()) >= N, 120_000, 200);
    const allRotated = Date.now() - t0;
    // The run the kill interrupted is finished by recovery once abandoned (60 s): its owner
    // is notified then, and any audit event the kill prevented is appended.
    await until(async () => (await notifications(app, owner)).nodes.filter((n) => n.kind === 'key_rotated').length >= N, 150_000, 1_000);
    await sleep(2_000); // any double rotation or notice would have happened by now
    process.stdout.write(`rotation: the second worker rotated the remaining ${N - atKill} in ${allRotated} ms; every owner notified ${Date.now() - t0} ms after the restart\n`);

    const successors = await db.collection('api_keys').find({ rotatedFromId: { $in: ids } } as never).project<{ rotatedFromId: string }>({ rotatedFromId: 1 }).toArray();
    const per = new Map<string, number>();
    for (const s of successors) per.set(s.rotatedFromId, (per.get(s.rotatedFromId) ?? 0) + 1);
    expect(ids.filter((id) => per.get(id) !== 1)).toEqual([]);
    const olds = await db.collection('api_keys').find({ _id: { $in: ids } } as never).project<{ status: string; rotatedToId: string }>({ status: 1, rotatedToId: 1 }).toArray();
    expect(olds.every((k) => k.status === 'rotating' && typeof k.rotatedToId === 'string')).toBe(true);
    const audits = await db.collection('audit_events').countDocuments({ action: 'key.rotated', 'target.id': { $in: ids } } as never);
    expect(audits).toBe(N);
    const notes = (await notifications(app, owner)).nodes.filter((n) => n.kind === 'key_rotated');
    expect(notes).toHaveLength(N);
    // Every successor's secret can be claimed exactly once (no successor left unsealed by the kill).
    const claim = 'mutation($k:ID!){ claimRotatedKey(keyId:$k){ secret } }';
    const claimable = await Promise.all(
      successors.slice(0, 5).map((s) => gqlOk<{ claimRotatedKey: { secret: string } }>(app.url, claim, { k: (s as unknown as { _id: string })._id }, { token: owner })),
    );
    expect(claimable.every((c) => c.claimRotatedKey.secret.length > 30)).toBe(true);
  }, 300_000);

  it('webhook delivery: the worker killed while the receiver holds the request — delivered, same id and body, one delivery record', async () => {
    // A receiver that never answers the first request (the worker dies waiting) and 204s the rest.
    const got: { id: string; body: string }[] = [];
    let firstArrived: () => void = () => undefined;
    const arrived = new Promise<void>((r) => (firstArrived = r));
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        got.push({ id: String(req.headers['webhook-id']), body: Buffer.concat(chunks).toString('utf8') });
        if (got.length === 1) return firstArrived(); // held open
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
      const worker = await startNodeProcess(app, 'jobs', {});
      workers.push(worker);
      const ep = await gqlOk<{ createWebhookEndpoint: { endpoint: { id: string } } }>(
        app.url,
        'mutation($u:String!){ createWebhookEndpoint(input:{url:$u, events:["webhook.test"]}){ endpoint { id } } }',
        { u: url },
        { token: owner },
      );
      const endpointId = ep.createWebhookEndpoint.endpoint.id;
      await gqlOk(app.url, 'mutation($id:ID!){ sendTestWebhook(id:$id){ id } }', { id: endpointId }, { token: owner });
      await arrived;
      await worker.stop('SIGKILL');
      const t0 = Date.now();
      workers.push(await startNodeProcess(app, 'jobs', {}));
      await until(async () => (await db.collection('webhook_deliveries').findOne({ endpointId, status: 'succeeded' } as never)) !== null, 150_000, 500);
      const distinctIds = [...new Set(got.map((g) => g.id))];
      process.stdout.write(
        `webhook: delivered ${Date.now() - t0} ms after the kill (BullMQ stalled-job recovery), ${got.length} requests received, ids ${JSON.stringify(distinctIds)}\n`,
      );
      expect(got.length).toBeGreaterThanOrEqual(2);
      expect(new Set(got.map((g) => g.id)).size).toBe(1); // a receiver deduplicating on webhook-id sees one event
      expect(new Set(got.map((g) => g.body)).size).toBe(1);
      expect(await db.collection('webhook_deliveries').countDocuments({ endpointId } as never)).toBe(1);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  }, 200_000);
});
