import { UnrecoverableError, Worker, type Job, type Processor } from 'bullmq';
import { AnomalyScanJob, QueueName } from '@latchkey/schema';
import { bullConnection, type AppServices } from '@latchkey/server';

/**
 * The anomaly queue: one `anomaly-scan` a minute, a shell over
 * `AlertService.scanAnomalies` (each active key's last folded minute against its own
 * EWMA baseline). Idempotent: the baseline script ignores a minute it already folded,
 * and alerts de-duplicate by window.
 */
export const ANOMALY_SCHEDULER_ID = 'anomaly-scan';
export const ANOMALY_SCAN_JOB = 'anomaly-scan';

export function createAnomalyProcessor(services: Pick<AppServices, 'alerts'>): Processor {
  return async (job: Job) => {
    if (job.name !== ANOMALY_SCAN_JOB) throw new UnrecoverableError(`unknown anomaly job ${job.name}`);
    const data = AnomalyScanJob.parse(job.data ?? {});
    return services.alerts.scanAnomalies(data.minute);
  };
}

export function createAnomalyWorker(services: Pick<AppServices, 'alerts' | 'config'>): Worker {
  return new Worker(QueueName.anomaly, createAnomalyProcessor(services), {
    connection: bullConnection(services.config, 'worker'),
    prefix: `${services.config.REDIS_PREFIX}:bull`,
    concurrency: 1,
  });
}
