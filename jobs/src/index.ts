export { startWorkers, type RunningWorkers } from './workers';
export { heartbeatKey, HEARTBEAT_SCHEDULER_ID } from './workers/maintenance.worker';
export { createRotationProcessor, createRotationWorker, FINISH_ROTATIONS_JOB, ROTATION_GRACE_SCHEDULER_ID } from './workers/rotation.worker';
