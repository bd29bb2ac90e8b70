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
  backup: 'backup',
} as const;
export type QueueName = (typeof QueueName)[keyof typeof QueueName];

export const HeartbeatJob = z.object({ requestedAt: z.string().optional() });
export type HeartbeatJob = z.infer<typeof HeartbeatJob>;

/** One delivery's attempt series; `series` counts replays (absent = 1, the first). */
export const WebhookDeliveryJob = z.object({
  deliveryId: z.string().min(1),
  orgId: z.string().min(1),
  series: z.number().int().min(1).optional(),
});
export type WebhookDeliveryJob = z.infer<typeof WebhookDeliveryJob>;

/** Periodic: re-enqueue deliveries whose job was never added (Redis was away at emit). */
export const WebhookSweepJob = z.object({});
export type WebhookSweepJob = z.infer<typeof WebhookSweepJob>;

/** Periodic scans (expiry warnings and transitions; scheduled rotations): no payload. */
export const ExpiryScanJob = z.object({});
export type ExpiryScanJob = z.infer<typeof ExpiryScanJob>;
export const RotationScanJob = z.object({});
export type RotationScanJob = z.infer<typeof RotationScanJob>;

/** Periodic archival run over every collection past its retention. */
export const ArchivalRunJob = z.object({});
export type ArchivalRunJob = z.infer<typeof ArchivalRunJob>;

/** The history of one key that expired: archived once its status is `expired`. */
export const KeyHistoryArchiveJob = z.object({ orgId: z.string().min(1), keyId: z.string().min(1) });
export type KeyHistoryArchiveJob = z.infer<typeof KeyHistoryArchiveJob>;

/** Periodic: fold closed usage minutes from Redis into the minute/hour/day rollups. */
export const UsageFoldJob = z.object({ upToMinute: z.number().int().optional() });
export type UsageFoldJob = z.infer<typeof UsageFoldJob>;

/** Periodic: compare each key's last closed minute with its own EWMA baseline. */
export const AnomalyScanJob = z.object({ minute: z.number().int().optional() });
export type AnomalyScanJob = z.infer<typeof AnomalyScanJob>;

/** Periodic: one encrypted platform backup into BACKUP_DIR, then retention (docs/SECURITY-OPERATIONS.md). */
export const BackupRunJob = z.object({});
export type BackupRunJob = z.infer<typeof BackupRunJob>;
