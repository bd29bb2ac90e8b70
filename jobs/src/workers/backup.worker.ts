import { UnrecoverableError, Worker, type Job, type Processor } from 'bullmq';
import { BackupRunJob, QueueName } from '@latchkey/schema';
import { bullConnection, scheduledBackup, type AppServices } from '@latchkey/server';

/**
 * The backup queue: `backup-run`, a job scheduler every BACKUP_EVERY_HOURS (not
 * registered when 0). A shell over `scheduledBackup`: an encrypted, integrity-checked
 * platform backup into BACKUP_DIR, then the oldest beyond BACKUP_RETAIN are deleted.
 * A retry writes a new file (never a half one: files are renamed into place when
 * complete) and retention trims, so at-least-once delivery is harmless.
 */
export const BACKUP_SCHEDULER_ID = 'backup-run';
export const BACKUP_RUN_JOB = 'backup-run';

export function createBackupProcessor(services: Pick<AppServices, 'mongo' | 'config' | 'logger' | 'version'>): Processor {
  return async (job: Job) => {
    if (job.name !== BACKUP_RUN_JOB) throw new UnrecoverableError(`unknown backup job ${job.name}`);
    BackupRunJob.parse(job.data ?? {});
    return scheduledBackup(services.mongo.conn, services.config, services.logger, services.version);
  };
}

export function createBackupWorker(services: Pick<AppServices, 'mongo' | 'config' | 'logger' | 'version'>): Worker {
  return new Worker(QueueName.backup, createBackupProcessor(services), {
    connection: bullConnection(services.config, 'worker'),
    prefix: `${services.config.REDIS_PREFIX}:bull`,
    // One backup at a time; a long one must not be taken for stalled and run twice.
    concurrency: 1,
    lockDuration: 10 * 60_000,
  });
}
