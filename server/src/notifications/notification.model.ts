import { Schema, type Connection, type Model } from 'mongoose';

/** Kinds of in-app notifications the platform sends. */
export const NotificationKind = {
  keyExpiring: 'key_expiring',
  keyExpired: 'key_expired',
  keyRotated: 'key_rotated',
  rotatedKeyStillUsed: 'rotated_key_still_used',
  /** Sent by the alerts domain when a critical alert suspends a key. */
  keySuspended: 'key_suspended',
} as const;
export type NotificationKind = (typeof NotificationKind)[keyof typeof NotificationKind];

/**
 * One notification for one user. `dedupeKey` is unique: a producer that may run twice
 * (a job retried under at-least-once delivery) passes a deterministic key, and the
 * second insert loses (docs/MONGODB-PORTABILITY.md). Without one it is the id itself,
 * because FerretDB has no partial or sparse indexes to skip a missing value.
 */
export interface NotificationDoc {
  _id: string;
  orgId: string;
  userId: string;
  kind: NotificationKind;
  keyId: string | null;
  title: string;
  body: string;
  dedupeKey: string;
  readAt: Date | null;
  createdAt: Date;
}

const notificationSchema = new Schema<NotificationDoc>(
  {
    _id: { type: String, required: true },
    orgId: { type: String, required: true },
    userId: { type: String, required: true },
    kind: { type: String, required: true },
    keyId: { type: String, default: null },
    title: { type: String, required: true },
    body: { type: String, required: true },
    dedupeKey: { type: String, required: true },
    readAt: { type: Date, default: null },
    createdAt: { type: Date, required: true },
  },
  { collection: 'notifications', versionKey: false },
);
notificationSchema.index({ dedupeKey: 1 }, { unique: true });
// A user's inbox, newest first (ids are time-ordered).
notificationSchema.index({ orgId: 1, userId: 1, _id: -1 });
notificationSchema.index({ orgId: 1, userId: 1, readAt: 1, _id: -1 });

export function notificationModel(conn: Connection): Model<NotificationDoc> {
  return (conn.models.Notification as Model<NotificationDoc> | undefined) ?? conn.model<NotificationDoc>('Notification', notificationSchema);
}
