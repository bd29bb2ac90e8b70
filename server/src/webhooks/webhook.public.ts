/** What jobs/ and test/ may use of webhooks (re-exported by server/src/index.ts). */
export { WebhookService, type WebhookActor, type EmitOptions, type EmitResult } from './webhook.service';
export type { AuditSink } from '../audit/audit-input';
export {
  WebhookDeliveryService,
  type AttemptOutcome,
  type DeadLetterInfo,
  type DeliveryServiceOptions,
  type EndpointDisabledInfo,
} from './webhook-delivery.service';
export {
  createWebhookQueue,
  webhookJobId,
  webhookQueuePrefix,
  WEBHOOK_DELIVER_JOB,
  WEBHOOK_SWEEP_JOB,
  WEBHOOK_SWEEP_SCHEDULER_ID,
  type WebhookQueue,
} from './webhook.queue';
export { DEFAULT_WEBHOOK_SCHEDULE_MS } from './webhook-schedule';
export { DeliveryStatus } from './webhook.model';
export { signWebhook, signatureHeader, generateWebhookSecret } from './webhook-signature';
export { classifyAddress, refusalFor, type AddressClass } from './webhook-ip';
export { checkWebhookUrl, WebhookUrlRefused, type Resolver } from './webhook-url';
export type { WebhookEndpointView, WebhookDeliveryView, WebhookAttemptView } from './webhook-views';
