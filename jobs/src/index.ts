export { startWorkers, type RunningWorkers, type WorkerOptions } from './workers';
export { heartbeatKey, HEARTBEAT_SCHEDULER_ID } from './workers/maintenance.worker';
export {
  createRotationProcessor,
  createRotationWorker,
  FINISH_ROTATIONS_JOB,
  ROTATION_GRACE_SCHEDULER_ID,
  ROTATION_SCAN_JOB,
  ROTATION_SCAN_SCHEDULER_ID,
} from './workers/rotation.worker';
export { createExpiryProcessor, createExpiryWorker, EXPIRY_SCAN_JOB, EXPIRY_SCHEDULER_ID } from './workers/expiry.worker';
export { createArchivalProcessor, createArchivalWorker, ARCHIVAL_RUN_JOB, ARCHIVAL_SCHEDULER_ID, KEY_HISTORY_JOB, keyHistoryJobId } from './workers/archival.worker';
export { createBackupProcessor, createBackupWorker, BACKUP_RUN_JOB, BACKUP_SCHEDULER_ID } from './workers/backup.worker';
export { createWebhooksWorker, type WebhooksWorkerDeps } from './workers/webhooks.worker';
