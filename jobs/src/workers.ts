import { Queue, type Worker } from 'bullmq';
import { QueueName } from '@latchkey/schema';
import { bullConnection, checkEvictionPolicy, createAppServices, createRedis, WEBHOOK_SWEEP_JOB, WEBHOOK_SWEEP_SCHEDULER_ID, type Config, type Logger } from '@latchkey/server';
import { createMaintenanceWorker, HEARTBEAT_SCHEDULER_ID } from './workers/maintenance.worker';
import { createWebhooksWorker } from './workers/webhooks.worker';
import { createRotationWorker, FINISH_ROTATIONS_JOB, ROTATION_GRACE_SCHEDULER_ID, ROTATION_SCAN_JOB, ROTATION_SCAN_SCHEDULER_ID } from './workers/rotation.worker';
import { createExpiryWorker, EXPIRY_SCAN_JOB, EXPIRY_SCHEDULER_ID } from './workers/expiry.worker';
import { ARCHIVAL_RUN_JOB, ARCHIVAL_SCHEDULER_ID, createArchivalWorker } from './workers/archival.worker';
import { createUsageWorker, USAGE_FOLD_JOB, USAGE_FOLD_SCHEDULER_ID } from './workers/usage.worker';
import { ANOMALY_SCAN_JOB, ANOMALY_SCHEDULER_ID, createAnomalyWorker } from './workers/anomaly.worker';
import { BACKUP_RUN_JOB, BACKUP_SCHEDULER_ID, createBackupWorker } from './workers/backup.worker';

export interface RunningWorkers {
  workers: Worker[];
  close(): Promise<void>;
}

/**
 * Starts every worker and registers the repeating schedules. Schedules are job
 * schedulers (upserted, so any number of worker processes register them once).
 */
export interface WorkerOptions {
  heartbeatEveryMs?: number;
  /** Schedules of the expiry, rotation and archival scans (default: config; tests shrink them). */
  expiryEveryMs?: number;
  rotationEveryMs?: number;
  archivalEveryMs?: number;
  /** Usage fold and anomaly scan schedules (default one minute each). */
  usageEveryMs?: number;
  anomalyEveryMs?: number;
}

export async function startWorkers(config: Config, logger: Logger, opts: WorkerOptions = {}): Promise<RunningWorkers> {
  const redis = createRedis(config, logger, 'worker');
  void checkEvictionPolicy(redis, logger, 'latchkey-jobs');
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
  const rotationEvery = opts.rotationEveryMs ?? config.ROTATION_SCAN_EVERY_MS;
  const scheduled = { removeOnComplete: 100, removeOnFail: 1000 };
  await rotationQueue.upsertJobScheduler(ROTATION_GRACE_SCHEDULER_ID, { every: rotationEvery }, { name: FINISH_ROTATIONS_JOB, data: {}, opts: scheduled });
  // Scheduled rotations, expiry and archival (docs/JOBS.md).
  await rotationQueue.upsertJobScheduler(ROTATION_SCAN_SCHEDULER_ID, { every: rotationEvery }, { name: ROTATION_SCAN_JOB, data: {}, opts: scheduled });
  const expiryQueue = new Queue(QueueName.expiry, { connection: bullConnection(config, 'worker'), prefix });
  await expiryQueue.upsertJobScheduler(EXPIRY_SCHEDULER_ID, { every: opts.expiryEveryMs ?? config.EXPIRY_SCAN_EVERY_MS }, { name: EXPIRY_SCAN_JOB, data: {}, opts: scheduled });
  const archivalQueue = new Queue(QueueName.archival, { connection: bullConnection(config, 'worker'), prefix });
  await archivalQueue.upsertJobScheduler(ARCHIVAL_SCHEDULER_ID, { every: opts.archivalEveryMs ?? config.ARCHIVAL_EVERY_MS }, { name: ARCHIVAL_RUN_JOB, data: {}, opts: scheduled });
  // Usage rollups and volume baselines (docs/MONITORING.md).
  const usageQueue = new Queue(QueueName.usage, { connection: bullConnection(config, 'worker'), prefix });
  await usageQueue.upsertJobScheduler(USAGE_FOLD_SCHEDULER_ID, { every: opts.usageEveryMs ?? 60_000 }, { name: USAGE_FOLD_JOB, data: {}, opts: scheduled });
  const anomalyQueue = new Queue(QueueName.anomaly, { connection: bullConnection(config, 'worker'), prefix });
  await anomalyQueue.upsertJobScheduler(ANOMALY_SCHEDULER_ID, { every: opts.anomalyEveryMs ?? 60_000 }, { name: ANOMALY_SCAN_JOB, data: {}, opts: scheduled });
  // Scheduled backups only when asked for (BACKUP_EVERY_HOURS > 0); otherwise any
  // schedule a previous configuration left is removed (docs/SECURITY-OPERATIONS.md).
  const backupQueue = new Queue(QueueName.backup, { connection: bullConnection(config, 'worker'), prefix });
  if (config.BACKUP_EVERY_HOURS > 0) {
    await backupQueue.upsertJobScheduler(BACKUP_SCHEDULER_ID, { every: config.BACKUP_EVERY_HOURS * 3_600_000 }, { name: BACKUP_RUN_JOB, data: {}, opts: scheduled });
  } else {
    await backupQueue.removeJobScheduler(BACKUP_SCHEDULER_ID);
  }
  const workers = [
    createMaintenanceWorker({ redis, config, logger }),
    // A delivery that exhausted its retries raises an alert for the organization.
    createWebhooksWorker({ services, onDeadLetter: (info) => services.alerts.webhookDeadLetter(info) }),
    createRotationWorker(services),
    createExpiryWorker(services, archivalQueue),
    createArchivalWorker(services),
    createUsageWorker(services),
    createAnomalyWorker(services),
    createBackupWorker(services),
  ];
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
        await expiryQueue.close();
        await archivalQueue.close();
        await usageQueue.close();
        await anomalyQueue.close();
        await backupQueue.close();
        await services.close();
        await redis.quit().catch(() => redis.disconnect());
      })();
      return closing;
    },
  };
}
