import { Queue } from 'bullmq';
import { QueueName } from '@latchkey/schema';
import type { Principal } from '../access/principal';
import type { Config } from '../infra/config';
import { AppError } from '../infra/app-error';
import { bullConnection } from '../infra/redis';
import { requirePlatformAdmin } from '../access/principal';

export interface QueueCounts {
  waiting: number;
  active: number;
  delayed: number;
  failed: number;
  completed: number;
}

export interface FailedJobView {
  id: string;
  name: string;
  failedReason: string;
  attemptsMade: number;
  failedAt: Date | null;
}

export interface QueueOverview {
  name: string;
  counts: QueueCounts;
  /** Newest failures first, at most `failedLimit`. */
  failedJobs: FailedJobView[];
}

const QUEUE_NAMES: readonly string[] = Object.values(QueueName);
const MAX_FAILED = 100;

/**
 * The jobs admin (`queues`, `retryJob`, `retryFailedJobs`). Queues are shared by every
 * organization and failed jobs carry other organizations' ids, so this is platform
 * level: system:admin (checked by the resolver) held by a platform administrator.
 */
export class JobsAdminService {
  private readonly queues = new Map<string, Promise<Queue>>();
  private closed = false;

  constructor(private readonly config: Config) {}

  async overview(principal: Principal, failedLimit = 20): Promise<QueueOverview[]> {
    requirePlatformAdmin(principal);
    const limit = Math.max(0, Math.min(MAX_FAILED, failedLimit));
    return Promise.all(
      QUEUE_NAMES.map(async (name) => {
        const q = await this.queue(name);
        const c = await q.getJobCounts('waiting', 'active', 'delayed', 'failed', 'completed');
        const failed = limit > 0 ? await q.getFailed(0, limit - 1) : [];
        return {
          name,
          counts: { waiting: c.waiting ?? 0, active: c.active ?? 0, delayed: c.delayed ?? 0, failed: c.failed ?? 0, completed: c.completed ?? 0 },
          failedJobs: failed.map((j) => ({
            id: String(j.id),
            name: j.name,
            failedReason: j.failedReason ?? '',
            attemptsMade: j.attemptsMade,
            failedAt: j.finishedOn ? new Date(j.finishedOn) : null,
          })),
        };
      }),
    );
  }

  /** Moves one failed job back to waiting; NOT_FOUND / INVALID_STATE otherwise. */
  async retryJob(principal: Principal, queueName: string, jobId: string): Promise<boolean> {
    requirePlatformAdmin(principal);
    const q = await this.queue(queueName);
    const job = await q.getJob(jobId);
    if (!job) throw AppError.notFound(`job ${jobId} in queue ${queueName}`);
    const state = await job.getState();
    if (state !== 'failed') throw AppError.invalidState(`job ${jobId} is ${state}; only failed jobs can be retried`, { currentStatus: state });
    await job.retry('failed');
    return true;
  }

  /** Moves every failed job of the queue back to waiting; answers how many there were. */
  async retryFailedJobs(principal: Principal, queueName: string): Promise<number> {
    requirePlatformAdmin(principal);
    const q = await this.queue(queueName);
    const n = await q.getFailedCount();
    if (n > 0) await q.retryJobs({ state: 'failed', count: 1_000 });
    return n;
  }

  async close(): Promise<void> {
    this.closed = true;
    const all = [...this.queues.values()];
    this.queues.clear();
    await Promise.allSettled(all.map(async (p) => (await p).close()));
  }

  private queue(name: string): Promise<Queue> {
    if (!QUEUE_NAMES.includes(name)) throw AppError.badInput(`unknown queue ${name}`, [{ path: ['queue'], message: `must be one of ${QUEUE_NAMES.join(', ')}` }]);
    if (this.closed) throw AppError.unavailable('jobs admin is shutting down');
    let q = this.queues.get(name);
    if (!q) {
      // Created on first use (the API needs no queue connections until an admin looks);
      // producers fail fast, so wait for the connection before the first command.
      const queue = new Queue(name, { connection: bullConnection(this.config, 'producer'), prefix: `${this.config.REDIS_PREFIX}:bull` });
      q = queue.waitUntilReady().then(
        () => queue,
        async (e: unknown) => {
          this.queues.delete(name);
          await queue.close().catch(() => undefined);
          throw e instanceof AppError ? e : AppError.unavailable('job queues (Redis) unavailable; try again shortly');
        },
      );
      this.queues.set(name, q);
    }
    return q;
  }
}
