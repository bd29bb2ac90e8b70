import { Worker, type Job, type Processor } from 'bullmq';
import { QueueName, HeartbeatJob } from '@latchkey/schema';
import type { Config, Logger } from '@latchkey/server';
import { bullConnection } from '@latchkey/server';
import type { Redis } from 'ioredis';

/**
 * The maintenance queue proves the scheduling path end to end: a job scheduler adds a
 * heartbeat every minute and the processor records when it last ran, which
 * `/readyz`-style checks and tests read back.
 */
export const HEARTBEAT_SCHEDULER_ID = 'heartbeat';

export function heartbeatKey(config: Config): string {
  return `${config.REDIS_PREFIX}:jobs:heartbeat`;
}

export function createMaintenanceProcessor(deps: { redis: Redis; config: Config; logger: Logger }): Processor {
  return async (job: Job) => {
    HeartbeatJob.parse(job.data);
    // Idempotent: re-running only moves the timestamp forward.
    const now = Date.now();
    await deps.redis.set(heartbeatKey(deps.config), String(now));
    deps.logger.debug({ jobId: job.id }, 'heartbeat');
    return { at: now };
  };
}

export function createMaintenanceWorker(deps: { redis: Redis; config: Config; logger: Logger }): Worker {
  return new Worker(QueueName.maintenance, createMaintenanceProcessor(deps), {
    connection: bullConnection(deps.config, 'worker'),
    prefix: `${deps.config.REDIS_PREFIX}:bull`,
    concurrency: 1,
  });
}
