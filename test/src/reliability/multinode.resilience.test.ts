import { QueueEvents } from 'bullmq';
import { QueueName } from '@latchkey/schema';
import { startTestApp, type TestApp } from '../harness/app';
import { gqlOk } from '../harness/graphql';
import { startNodeProcess, type NodeProcess } from '../harness/node-process';
import { subscribe, wsClient } from '../harness/ws';
import { createKey, inDays, notifications } from '../jobs/jobs-helpers';
import { flushSignals } from '../usage/monitoring-helpers';
import { serviceKey, verifierSetup, verifyHttp } from '../verify/verify-helpers';

const SCAN_MS = 500;

/**
 * Reliability case 11: API node A (this process) and API node B plus two worker
 * processes W1, W2 from dist/, one Redis, one MongoDB-wire server. (Two API nodes
 * without workers: verify/verify-multinode.test.ts; alerts across in-process nodes:
 * realtime/realtime.test.ts.)
 */
describe('two API processes and two worker processes', () => {
  let a: TestApp;
  let b: NodeProcess;
  let workers: NodeProcess[] = [];
  let token: string;
  let verifier: string;
  let events: QueueEvents;
  const completed: string[] = [];
  beforeAll(async () => {
    a = await startTestApp();
    ({ token, verifier } = await verifierSetup(a));
    b = await startNodeProcess(a);
    events = new QueueEvents(QueueName.expiry, { connection: { url: a.config.REDIS_URL }, prefix: `${a.config.REDIS_PREFIX}:bull` });
    events.on('completed', ({ jobId }) => completed.push(jobId));
    await events.waitUntilReady();
    const env = { EXPIRY_SCAN_EVERY_MS: String(SCAN_MS), ROTATION_SCAN_EVERY_MS: String(SCAN_MS) };
    workers = await Promise.all([startNodeProcess(a, 'jobs', env), startNodeProcess(a, 'jobs', env)]);
  }, 120_000);
  afterAll(async () => {
    await events?.close();
    await Promise.all([b, ...workers].map((p) => p?.stop()));
    await a?.stop();
  });

  const onB = (body: Record<string, unknown>) => verifyHttp({ ...a, url: b.url }, verifier, body);

  it('a limit of 100 admits exactly 100 across both API nodes', async () => {
    const k = await serviceKey(a, token, { rateLimit: { perMinute: 100 } });
    const results = await Promise.all(Array.from({ length: 300 }, (_, i) => (i % 2 === 0 ? verifyHttp(a, verifier, { key: k.secret }) : onB({ key: k.secret }))));
    const valid = results.filter((r) => r.body.code === 'VALID');
    const admittedBy = (node: number) => results.filter((r, i) => i % 2 === node && r.body.code === 'VALID').length;
    process.stdout.write(`shared limit: ${valid.length} of 300 admitted (A ${admittedBy(0)}, B ${admittedBy(1)})\n`);
    expect(valid).toHaveLength(100);
    expect(results.filter((r) => r.status >= 500)).toHaveLength(0);
  });

  it('a revocation made through either node is enforced by the other within one second', async () => {
    const times: number[] = [];
    const afterCommit: number[] = [];
    for (const [via, check] of [[a.url, onB], [b.url, (body: Record<string, unknown>) => verifyHttp(a, verifier, body)]] as const) {
      const k = await serviceKey(a, token);
      expect((await check({ key: k.secret })).body.code).toBe('VALID'); // warm the other node's cache
      const t0 = Date.now();
      await gqlOk(via, 'mutation($id: ID!){ revokeApiKey(id:$id, reason:"multi-process"){ id } }', { id: k.id }, { token });
      const committed = Date.now();
      let code = 'VALID';
      while (code !== 'REVOKED' && Date.now() - t0 < 5_000) code = (await check({ key: k.secret })).body.code;
      expect(code).toBe('REVOKED');
      times.push(Date.now() - t0);
      afterCommit.push(Date.now() - committed);
    }
    process.stdout.write(`revocation A→B ${times[0]} ms, B→A ${times[1]} ms from sending the mutation (${afterCommit[0]} / ${afterCommit[1]} ms after its answer)\n`);
    // "Within a second" of the revocation being made (its answer); the whole round trip is reported.
    for (const t of afterCommit) expect(t).toBeLessThan(1_000);
  });

  it('an alert raised through node A reaches a subscriber on node B', async () => {
    const client = wsClient(`${b.url.replace(/^http/, 'ws')}/graphql`, token);
    const sub = subscribe<{ alertRaised: { type: string; keyId: string | null } }>(client, 'subscription{ alertRaised { type keyId ip } }');
    const k = await serviceKey(a, token);
    await verifyHttp(a, verifier, { key: k.secret, ip: '10.9.1.1' });
    await flushSignals(a);
    await new Promise((r) => setTimeout(r, 500)); // B has registered the subscription
    const latencies: number[] = [];
    for (let i = 2; i < 7; i++) {
      const t0 = Date.now();
      await verifyHttp(a, verifier, { key: k.secret, ip: `10.9.${i}.1` }); // a new private /24: NEW_NETWORK, raised on A
      await flushSignals(a);
      const ev = await sub.next(10_000);
      expect(ev.alertRaised).toMatchObject({ type: 'NEW_NETWORK', keyId: k.id });
      latencies.push(Date.now() - t0);
    }
    process.stdout.write(`alert A → subscriber on B: ${latencies.join(', ')} ms\n`);
    sub.dispose();
    await client.dispose();
  });

  it('every scheduled scan runs once across both workers, and its effect happens once', async () => {
    const key = (await createKey(a, token, { name: 'two-workers', type: 'user', subtype: 'personal', scopes: ['keys:read'], expiresAt: inDays(2) })).apiKey;
    const from = completed.length;
    const t0 = Date.now();
    await new Promise((r) => setTimeout(r, 8_000));
    const seen = completed.slice(from).filter((id) => id.startsWith('repeat:'));
    const elapsed = Date.now() - t0;
    const duplicates = seen.length - new Set(seen).size;
    process.stdout.write(
      `scheduler: ${seen.length} expiry scans completed in ${elapsed} ms at one per ${SCAN_MS} ms ` +
        `(expected ≈ ${Math.round(elapsed / SCAN_MS)}), duplicates ${duplicates}\n`,
    );
    expect(duplicates).toBe(0);
    expect(seen.length).toBeGreaterThanOrEqual(Math.floor((elapsed / SCAN_MS) * 0.5));
    expect(seen.length).toBeLessThanOrEqual(Math.ceil(elapsed / SCAN_MS) + 2);
    // Both workers scanned concurrently, yet the owner was warned exactly once.
    const warned = (await notifications(a, token)).nodes.filter((n) => n.keyId === key.id);
    expect(warned).toHaveLength(1);
    for (const w of workers) expect(w.child.exitCode).toBeNull();
  }, 60_000);
});
