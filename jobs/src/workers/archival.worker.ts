import { UnrecoverableError, Worker, type Job, type Processor } from 'bullmq';
import { ArchivalRunJob, KeyHistoryArchiveJob, QueueName } from '@latchkey/schema';
import { bullConnection, type AppServices } from '@latchkey/server';

/**
 * The archival queue: `archival-run` (a job scheduler, every ARCHIVAL_EVERY_MS) and
 * `key-history` (one per expired key). Shells over `ArchivalService`, whose commit
 * protocol makes every step safe to interrupt and rerun (docs/ARCHIVAL.md). A run
 * that finds another worker holding the archival lease: the scheduled run simply
 * ends (the next tick comes), a key's history is retried with backoff.
 */
export const ARCHIVAL_SCHEDULER_ID = 'archival-run';
export const ARCHIVAL_RUN_JOB = 'archival-run';
export const KEY_HISTORY_JOB = 'key-history';

export function keyHistoryJobId(keyId: string): string {
  return `key-history-${keyId}`;
}

export class ArchivalBusy extends Error {
  constructor() {
    super('another worker holds the archival lease; retrying later');
    this.name = 'ArchivalBusy';
  }
}

export function createArchivalProcessor(services: Pick<AppServices, 'archival'>): Processor {
  return async (job: Job) => {
    switch (job.name) {
      case ARCHIVAL_RUN_JOB:
        ArchivalRunJob.parse(job.data ?? {});
        return services.archival.run(new Date());
      case KEY_HISTORY_JOB: {
        const parsed = KeyHistoryArchiveJob.safeParse(job.data);
        if (!parsed.success) throw new UnrecoverableError(`invalid key-history job: ${parsed.error.message}`);
        const r = await services.archival.archiveKeyHistory(parsed.data.orgId, parsed.data.keyId, new Date());
        if (r.busy) throw new ArchivalBusy();
        return r;
      }
      default:
        throw new UnrecoverableError(`unknown archival job ${job.name}`);
    }
  };
}

export function createArchivalWorker(services: Pick<AppServices, 'archival' | 'config'>): Worker {
  return new Worker(QueueName.archival, createArchivalProcessor(services), {
    connection: bullConnection(services.config, 'worker'),
    prefix: `${services.config.REDIS_PREFIX}:bull`,
    // One run at a time per process; across processes the archival lease decides.
    concurrency: 1,
  });
}
