import { Schema, type Connection, type Model } from 'mongoose';

/**
 * One expiry notice of one key: a warning at a lead time (`leadDays` > 0) or the
 * expiry itself (`leadDays` 0). The unique {keyId, expiresAt, leadDays} index makes
 * "exactly once per key and lead time" an insert that only one run can win, even on
 * FerretDB (docs/MONGODB-PORTABILITY.md). `expiresAt` is part of it so a renewed key
 * is warned again about its new expiry.
 */
export interface ExpiryNoticeDoc {
  _id: string;
  orgId: string;
  keyId: string;
  expiresAt: Date;
  leadDays: number;
  /** `pending` until every side effect (notification, webhook) is done; reruns finish it. */
  state: 'pending' | 'sent';
  createdAt: Date;
  sentAt: Date | null;
}

const expiryNoticeSchema = new Schema<ExpiryNoticeDoc>(
  {
    _id: { type: String, required: true },
    orgId: { type: String, required: true },
    keyId: { type: String, required: true },
    expiresAt: { type: Date, required: true },
    leadDays: { type: Number, required: true },
    state: { type: String, required: true },
    createdAt: { type: Date, required: true },
    sentAt: { type: Date, default: null },
  },
  { collection: 'expiry_notices', versionKey: false },
);
expiryNoticeSchema.index({ keyId: 1, expiresAt: 1, leadDays: 1 }, { unique: true });
expiryNoticeSchema.index({ state: 1, createdAt: 1 });
// Pending expiries (leadDays 0), oldest first.
expiryNoticeSchema.index({ state: 1, leadDays: 1, createdAt: 1 });

export function expiryNoticeModel(conn: Connection): Model<ExpiryNoticeDoc> {
  return (conn.models.ExpiryNotice as Model<ExpiryNoticeDoc> | undefined) ?? conn.model<ExpiryNoticeDoc>('ExpiryNotice', expiryNoticeSchema);
}

export function noticeId(keyId: string, expiresAt: Date, leadDays: number): string {
  return `${keyId}:${expiresAt.getTime()}:${leadDays}`;
}
