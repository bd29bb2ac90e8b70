import { Queue } from 'bullmq';
import { QueueName, type WebhookDeliveryJob } from '@latchkey/schema';
import type { Config } from '../infra/config';
import { bullConnection } from '../infra/redis';

export const WEBHOOK_DELIVER_JOB = 'deliver';
export const WEBHOOK_SWEEP_JOB = 'sweep';
export const WEBHOOK_SWEEP_SCHEDULER_ID = 'webhooks-sweep';
/** Our backoff strategy's name; the worker's `settings.backoffStrategy` implements it. */
export const WEBHOOK_BACKOFF_TYPE = 'webhook-schedule';
/**
 * An upper bound only: the worker's schedule ends a series earlier (its backoff
 * answers -1), so producers need not know how long the schedule is.
 */
export const WEBHOOK_MAX_JOB_ATTEMPTS = 50;

/** One BullMQ job per attempt series: re-adding the same series is a no-op. */
export function webhookJobId(deliveryId: string, series: number): string {
  return series === 1 ? deliveryId : `${deliveryId}-s${series}`;
}

export function webhookQueuePrefix(config: Config): string {
  return `${config.REDIS_PREFIX}:bull`;
}

export interface WebhookQueue {
  enqueue(job: Required<WebhookDeliveryJob>): Promise<void>;
  close(): Promise<void>;
}

/** Producer side of the webhooks queue; the connection opens on first use and fails fast. */
export function createWebhookQueue(config: Config): WebhookQueue {
  let queue: Queue | undefined;
  let closed = false;
  return {
    async enqueue(job) {
      if (closed) throw new Error('webhook queue is closed');
      queue ??= new Queue(QueueName.webhooks, { connection: bullConnection(config, 'producer'), prefix: webhookQueuePrefix(config) });
      const data: WebhookDeliveryJob = job;
      await queue.add(WEBHOOK_DELIVER_JOB, data, {
        jobId: webhookJobId(job.deliveryId, job.series),
        attempts: WEBHOOK_MAX_JOB_ATTEMPTS,
        backoff: { type: WEBHOOK_BACKOFF_TYPE },
        removeOnComplete: { age: 24 * 3600, count: 10_000 },
        removeOnFail: { age: 14 * 24 * 3600 },
      });
    },
    async close() {
      if (closed) return;
      closed = true;
      await queue?.close();
    },
  };
}
