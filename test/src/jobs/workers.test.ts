import { Queue } from 'bullmq';
import { QueueName } from '@latchkey/schema';
import { bullConnection, createLogger } from '@latchkey/server';
import { startWorkers, KEY_HISTORY_JOB, type RunningWorkers } from '@latchkey/jobs';
import { startTestApp, type TestApp } from '../harness/app';
import { gql, gqlOk } from '../harness/graphql';
import { createKey, createUser, inDays, loginOwner, notifications, waitFor } from './jobs-helpers';

interface QueueView {
  name: string;
  counts: { waiting: number; active: number; delayed: number; failed: number; completed: number };
  failedJobs: { id: string; name: string; failedReason: string; attemptsMade: number }[];
}
const QUEUES = '{ queues(failedLimit: 50) { name counts { waiting active delayed failed completed } failedJobs { id name failedReason attemptsMade } } }';

/** The workers in-process on the test app's database and Redis prefix, with shrunk schedules. */
describe('job workers and the queues admin', () => {
  let app: TestApp;
  let owner: string;
  let running: RunningWorkers;
  let archival: Queue;

  beforeAll(async () => {
    app = await startTestApp();
    owner = await loginOwner(app);
    running = await startWorkers(app.config, createLogger({ level: 'silent', name: 'workers-test' }), { expiryEveryMs: 300, rotationEveryMs: 300, archivalEveryMs: 500 });
    archival = new Queue(QueueName.archival, { connection: bullConnection(app.config, 'worker'), prefix: `${app.config.REDIS_PREFIX}:bull` });
  });
  afterAll(async () => {
    await archival?.close();
    await running?.close();
    await running?.close(); // safe twice
    await app?.stop();
  });

  const queues = async () => (await gqlOk<{ queues: QueueView[] }>(app.url, QUEUES, {}, { token: owner })).queues;

  it('the scheduled expiry scan warns the owner without anyone calling it', async () => {
    const key = (await createKey(app, owner, { name: 'scheduled-warning', type: 'user', subtype: 'personal', scopes: ['keys:read'], expiresAt: inDays(2) })).apiKey;
    const note = await waitFor(async () => (await notifications(app, owner)).nodes.find((n) => n.keyId === key.id), 'the expiry warning', 30_000);
    expect(note.kind).toBe('key_expiring');
    const q = await queues();
    expect(q.map((x) => x.name).sort()).toEqual(Object.values(QueueName).sort());
    expect(q.find((x) => x.name === 'expiry')?.counts.completed).toBeGreaterThan(0);
  });

  it('failed jobs are listed with their reasons and can be retried one by one or all at once', async () => {
    // A key-history job that finds the archival lease taken fails (one attempt only here).
    const lease = `${app.config.REDIS_PREFIX}:archival:lease`;
    await app.server.services.redis.set(lease, 'someone-else', 'PX', 60_000);
    const job = await archival.add(KEY_HISTORY_JOB, { orgId: 'org_x', keyId: 'key_x' }, { jobId: 'key-history-test' });
    const failed = await waitFor(async () => (await queues()).find((x) => x.name === 'archival')?.failedJobs.find((j) => j.id === job.id), 'the failed job', 30_000);
    expect(failed.failedReason).toMatch(/archival lease/);
    // Unknown names are permanent failures (UnrecoverableError).
    await archival.add('no-such-job', {}, { jobId: 'bogus-test', attempts: 5 });
    const bogus = await waitFor(async () => (await queues()).find((x) => x.name === 'archival')?.failedJobs.find((j) => j.id === 'bogus-test'), 'the bogus job', 30_000);
    expect(bogus).toMatchObject({ attemptsMade: 1, failedReason: 'unknown archival job no-such-job' });

    // Once the lease is free, a retry succeeds.
    await app.server.services.redis.del(lease);
    const retried = await gqlOk<{ retryJob: boolean }>(app.url, 'mutation($q:String!,$id:ID!){ retryJob(queue:$q, id:$id) }', { q: 'archival', id: job.id }, { token: owner });
    expect(retried.retryJob).toBe(true);
    await waitFor(async () => (await archival.getJob(String(job.id)))?.finishedOn && (await archival.getJob(String(job.id)))?.returnvalue, 'the retried job to complete', 30_000);
    expect(await (await archival.getJob(String(job.id)))?.getState()).toBe('completed');
    // Retrying a job that is not failed is refused.
    const again = await gql(app.url, 'mutation($q:String!,$id:ID!){ retryJob(queue:$q, id:$id) }', { q: 'archival', id: job.id }, { token: owner });
    expect(again.errors?.[0]?.extensions?.code).toBe('INVALID_STATE');

    const all = await gqlOk<{ retryFailedJobs: number }>(app.url, 'mutation($q:String!){ retryFailedJobs(queue:$q) }', { q: 'archival' }, { token: owner });
    expect(all.retryFailedJobs).toBeGreaterThanOrEqual(1);
    await waitFor(async () => ((await archival.getJob('bogus-test'))?.attemptsMade ?? 0) >= 2, 'the bogus job to run again', 30_000);
  });

  it('is platform level: an organization admin without system:admin is refused, unknown queues are bad input', async () => {
    const admin = await createUser(app, owner, ['admin']);
    expect((await gql(app.url, QUEUES, {}, { token: admin.token })).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const bad = await gql(app.url, 'mutation{ retryFailedJobs(queue: "nope") }', {}, { token: owner });
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
