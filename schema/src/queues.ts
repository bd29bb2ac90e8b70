import { z } from 'zod';

/** BullMQ queue names. Producers (server) and consumers (jobs) import them from here. */
export const QueueName = {
  maintenance: 'maintenance',
  expiry: 'expiry',
  rotation: 'rotation',
  archival: 'archival',
  webhooks: 'webhooks',
  usage: 'usage',
  anomaly: 'anomaly',
} as const;
export type QueueName = (typeof QueueName)[keyof typeof QueueName];

export const HeartbeatJob = z.object({ requestedAt: z.string().optional() });
export type HeartbeatJob = z.infer<typeof HeartbeatJob>;

export const WebhookDeliveryJob = z.object({ deliveryId: z.string().min(1), orgId: z.string().min(1) });
export type WebhookDeliveryJob = z.infer<typeof WebhookDeliveryJob>;
