import { Queue, type Worker } from 'bullmq';
import { QueueName } from '@latchkey/schema';
import { bullConnection, createAppServices, createRedis, WEBHOOK_SWEEP_JOB, WEBHOOK_SWEEP_SCHEDULER_ID, type Config, type Logger } from '@latchkey/server';
import { createMaintenanceWorker, HEARTBEAT_SCHEDULER_ID } from './workers/maintenance.worker';
import { createWebhooksWorker } from './workers/webhooks.worker';
import { createRotationWorker, FINISH_ROTATIONS_JOB, ROTATION_GRACE_SCHEDULER_ID } from './workers/rotation.worker';

export interface RunningWorkers {
  workers: Worker[];
  close(): Promise<void>;
}

/**
 * Starts every worker and registers the repeating schedules. Schedules are job
 * schedulers (upserted, so any number of worker processes register them once).
 */
export async function startWorkers(config: Config, logger: Logger, opts: { heartbeatEveryMs?: number } = {}): Promise<RunningWorkers> {
  const redis = createRedis(config, logger, 'worker');
  const prefix = `${config.REDIS_PREFIX}:bull`;
  const maintenance = new Queue(QueueName.maintenance, { connection: bullConnection(config, 'worker'), prefix });
  await maintenance.upsertJobScheduler(
    HEARTBEAT_SCHEDULER_ID,
    { every: opts.heartbeatEveryMs ?? 60_000 },
    { name: 'heartbeat', data: {}, opts: { removeOnComplete: 100, removeOnFail: 1000 } },
  );
  // Domain services (MongoDB, audit, webhooks) for workers that are shells over them.
  const services = createAppServices(config, logger);
  const webhooksQueue = new Queue(QueueName.webhooks, { connection: bullConnection(config, 'worker'), prefix });
  await webhooksQueue.upsertJobScheduler(
    WEBHOOK_SWEEP_SCHEDULER_ID,
    { every: 60_000 },
    { name: WEBHOOK_SWEEP_JOB, data: {}, opts: { removeOnComplete: 100, removeOnFail: 1000 } },
  );
  // Rotation overlaps end on time even if no one looks at the key (docs/KEYS.md).
  const rotationQueue = new Queue(QueueName.rotation, { connection: bullConnection(config, 'worker'), prefix });
  await rotationQueue.upsertJobScheduler(
    ROTATION_GRACE_SCHEDULER_ID,
    { every: 60_000 },
    { name: FINISH_ROTATIONS_JOB, data: {}, opts: { removeOnComplete: 100, removeOnFail: 1000 } },
  );
  const workers = [createMaintenanceWorker({ redis, config, logger }), createWebhooksWorker({ services }), createRotationWorker(services)];
  for (const w of workers) {
    w.on('failed', (job, err) => logger.warn({ queue: w.name, jobId: job?.id, err: err.message }, 'job failed'));
    w.on('error', (err) => logger.warn({ queue: w.name, err: err.message }, 'worker error'));
  }

  let closing: Promise<void> | undefined;
  return {
    workers,
    close() {
      closing ??= (async () => {
        await Promise.allSettled(workers.map((w) => w.close()));
        await maintenance.close();
        await webhooksQueue.close();
        await rotationQueue.close();
        await services.close();
        await redis.quit().catch(() => redis.disconnect());
      })();
      return closing;
    },
  };
}
