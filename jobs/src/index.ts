export { startWorkers, type RunningWorkers } from './workers';
export { heartbeatKey, HEARTBEAT_SCHEDULER_ID } from './workers/maintenance.worker';
