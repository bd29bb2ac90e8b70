import { Queue, UnrecoverableError, Worker, type Job, type Processor } from 'bullmq';
import { ExpiryScanJob, KeyHistoryArchiveJob, QueueName } from '@latchkey/schema';
import { bullConnection, type AppServices } from '@latchkey/server';
import { KEY_HISTORY_JOB, keyHistoryJobId } from './archival.worker';

/**
 * The expiry queue: a job scheduler adds one `expiry-scan` every EXPIRY_SCAN_EVERY_MS;
 * the processor is a shell over `ExpiryService.scan` (warnings at the organization's
 * lead times, then the `expired` transition). Each key that expired gets its history
 * archived: one `key-history` job on the archival queue, with a job id per key so a
 * rerun adds nothing twice.
 */
export const EXPIRY_SCHEDULER_ID = 'expiry-scan';
export const EXPIRY_SCAN_JOB = 'expiry-scan';

export function createExpiryProcessor(services: Pick<AppServices, 'expiry'>, archival?: Pick<Queue, 'add'>): Processor {
  return async (job: Job) => {
    if (job.name !== EXPIRY_SCAN_JOB) throw new UnrecoverableError(`unknown expiry job ${job.name}`);
    ExpiryScanJob.parse(job.data ?? {});
    const r = await services.expiry.scan(new Date(), async ({ orgId, keyId }) => {
      const data: KeyHistoryArchiveJob = { orgId, keyId };
      await archival?.add(KEY_HISTORY_JOB, data, {
        jobId: keyHistoryJobId(keyId),
        attempts: 10,
        backoff: { type: 'exponential', delay: 5_000 },
        removeOnComplete: 1_000,
        removeOnFail: 5_000,
      });
    });
    return { warned: r.warned, expired: r.expired.length };
  };
}

export function createExpiryWorker(services: Pick<AppServices, 'expiry' | 'config'>, archival?: Pick<Queue, 'add'>): Worker {
  return new Worker(QueueName.expiry, createExpiryProcessor(services, archival), {
    connection: bullConnection(services.config, 'worker'),
    prefix: `${services.config.REDIS_PREFIX}:bull`,
    concurrency: 1,
  });
}
