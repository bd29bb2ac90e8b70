import { UnrecoverableError, Worker, type Job, type Processor } from 'bullmq';
import { QueueName, UsageFoldJob } from '@latchkey/schema';
import { bullConnection, type AppServices } from '@latchkey/server';

/**
 * The usage queue: a job scheduler adds one `usage-fold` every minute; the processor is
 * a shell over `UsageService.fold` (closed minutes from Redis → minute rows → their
 * hours and days recomputed). Idempotent: every row is a `$set` of recomputed totals,
 * so a retried or duplicated run changes nothing.
 */
export const USAGE_FOLD_SCHEDULER_ID = 'usage-fold';
export const USAGE_FOLD_JOB = 'usage-fold';

export function createUsageProcessor(services: Pick<AppServices, 'usage'>): Processor {
  return async (job: Job) => {
    if (job.name !== USAGE_FOLD_JOB) throw new UnrecoverableError(`unknown usage job ${job.name}`);
    const data = UsageFoldJob.parse(job.data ?? {});
    return services.usage.fold({ upToMinute: data.upToMinute });
  };
}

export function createUsageWorker(services: Pick<AppServices, 'usage' | 'config'>): Worker {
  return new Worker(QueueName.usage, createUsageProcessor(services), {
    connection: bullConnection(services.config, 'worker'),
    prefix: `${services.config.REDIS_PREFIX}:bull`,
    // One fold at a time per process; two processes folding at once still write the same rows.
    concurrency: 1,
  });
}
