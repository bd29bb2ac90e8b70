import { UnrecoverableError, Worker, type Job, type Processor } from 'bullmq';
import { QueueName, WebhookDeliveryJob } from '@latchkey/schema';
import {
  bullConnection,
  WEBHOOK_SWEEP_JOB,
  webhookQueuePrefix,
  type AppServices,
  type DeliveryServiceOptions,
  type WebhookDeliveryService,
} from '@latchkey/server';

/**
 * The webhooks queue: a thin shell over `WebhookDeliveryService.attempt`. The service
 * decides; this file maps its outcome to BullMQ: a retryable failure is thrown as
 * `WebhookRetry` (our backoff strategy reads the delay the service chose, jitter
 * included, so the delivery log's `nextAttemptAt` is the real one), permanent ones as
 * `UnrecoverableError`.
 */
export class WebhookRetry extends Error {
  constructor(
    message: string,
    readonly delayMs: number,
  ) {
    super(message);
    this.name = 'WebhookRetry';
  }
}

export interface WebhooksWorkerDeps extends DeliveryServiceOptions {
  services: Pick<AppServices, 'config' | 'webhooks'>;
  concurrency?: number;
}

export function createWebhooksProcessor(delivery: WebhookDeliveryService): Processor {
  return async (job: Job) => {
    if (job.name === WEBHOOK_SWEEP_JOB) return { requeued: await delivery.requeueUnqueued() };
    const data = WebhookDeliveryJob.parse(job.data);
    // attemptsMade counts finished attempts of this job; a stalled run keeps its number,
    // which is what lets the service recognise an attempt it already recorded.
    const outcome = await delivery.attempt(data.deliveryId, data.series ?? 1, job.attemptsMade + 1);
    switch (outcome.kind) {
      case 'succeeded':
      case 'skipped':
        return outcome;
      case 'retry':
        throw new WebhookRetry(outcome.reason, outcome.delayMs);
      case 'dead':
      case 'cancelled':
        throw new UnrecoverableError(`${outcome.kind}: ${outcome.reason}`);
    }
  };
}

export function createWebhooksWorker(deps: WebhooksWorkerDeps): Worker {
  const { services, concurrency, ...options } = deps;
  // scheduleMs (tests shrink it), timeoutMs, resolve, onDeadLetter, onEndpointDisabled
  const delivery = services.webhooks.createDeliveryService(options);
  return new Worker(QueueName.webhooks, createWebhooksProcessor(delivery), {
    connection: bullConnection(services.config, 'worker'),
    prefix: webhookQueuePrefix(services.config),
    concurrency: concurrency ?? 8,
    settings: {
      // Infrastructure errors (store down) fall back to the plain schedule.
      backoffStrategy: (attemptsMade: number, _type?: string, err?: Error) =>
        err instanceof WebhookRetry ? err.delayMs : delivery.retryDelayMs(attemptsMade),
    },
  });
}
