import { UnrecoverableError, Worker, type Job, type Processor } from 'bullmq';
import { QueueName, RotationScanJob } from '@latchkey/schema';
import { bullConnection, type AppServices } from '@latchkey/server';

/**
 * The rotation queue: ends rotation overlaps. A job scheduler adds one
 * `finish-due-rotations` job a minute; the processor is a shell over
 * `KeyService.finishDueRotations`, which revokes keys still `rotating` past their
 * `graceEndsAt` (idempotent: a key already revoked is skipped, so at-least-once
 * delivery and several worker processes are harmless). The verify path already
 * answers REVOKED past `graceEndsAt`; this makes the stored status, audit trail and
 * webhooks catch up.
 *
 * One Worker per queue: other rotation jobs (scheduled rotation per key policy) belong
 * in this processor as further job names, not in a second Worker on the same queue,
 * which would take this worker's jobs (and this one refuses names it does not know).
 */
export const ROTATION_GRACE_SCHEDULER_ID = 'rotation-grace';
export const FINISH_ROTATIONS_JOB = 'finish-due-rotations';
/**
 * Scheduled rotation per key policy, "still used" reports near the end of an overlap,
 * recovery of runs a killed worker left, and dropping unclaimed sealed secrets
 * (`RotationService.run`; docs/JOBS.md).
 */
export const ROTATION_SCAN_SCHEDULER_ID = 'rotation-scan';
export const ROTATION_SCAN_JOB = 'rotation-scan';
const BATCH = 500;

export function createRotationProcessor(services: Pick<AppServices, 'keys'> & Partial<Pick<AppServices, 'rotation'>>): Processor {
  return async (job: Job) => {
    if (job.name === ROTATION_SCAN_JOB) {
      RotationScanJob.parse(job.data ?? {});
      if (!services.rotation) throw new UnrecoverableError('rotation service not available');
      return services.rotation.run(new Date());
    }
    if (job.name !== FINISH_ROTATIONS_JOB) throw new UnrecoverableError(`unknown rotation job ${job.name}`);
    const now = new Date();
    let revoked = 0;
    for (;;) {
      const ids = await services.keys.finishDueRotations(now, BATCH);
      revoked += ids.length;
      if (ids.length < BATCH) break;
    }
    return { revoked };
  };
}

export function createRotationWorker(services: Pick<AppServices, 'keys' | 'config'> & Partial<Pick<AppServices, 'rotation'>>): Worker {
  return new Worker(QueueName.rotation, createRotationProcessor(services), {
    connection: bullConnection(services.config, 'worker'),
    prefix: `${services.config.REDIS_PREFIX}:bull`,
    concurrency: 1,
  });
}
