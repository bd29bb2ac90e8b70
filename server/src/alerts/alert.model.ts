import { Schema, type Connection, type Model } from 'mongoose';
import type { AlertSeverity } from '@latchkey/schema';
import type { AlertStatus, AlertType } from './alert-rules';

export interface AlertDetail {
  name: string;
  value: string;
}

export interface AlertResponse {
  action: 'key_suspended';
  at: Date;
  keyId: string;
  /** Why the action could not be taken (e.g. the key was already revoked). */
  error: string | null;
}

/**
 * One alert (`alr_…`). De-duplication is an insert under the unique
 * {orgId, dedupeKey} index (type + subject + window bucket): exactly one node creates
 * the alert; the others only raise its count (kept in Redis, copied here under the
 * alert's lock). Resolving renames the dedupe key so a recurrence opens a new alert.
 */
export interface AlertDoc {
  _id: string;
  orgId: string;
  dedupeKey: string;
  type: AlertType;
  severity: AlertSeverity;
  status: AlertStatus;
  title: string;
  summary: string;
  keyId: string | null;
  ownerId: string | null;
  ip: string | null;
  count: number;
  firstSeen: Date;
  lastSeen: Date;
  details: AlertDetail[];
  response: AlertResponse | null;
  acknowledgedBy: string | null;
  acknowledgedAt: Date | null;
  resolvedBy: string | null;
  resolvedAt: Date | null;
  createdAt: Date;
  version: number;
}

const alertSchema = new Schema<AlertDoc>(
  {
    _id: { type: String, required: true },
    orgId: { type: String, required: true },
    dedupeKey: { type: String, required: true },
    type: { type: String, required: true },
    severity: { type: String, required: true },
    status: { type: String, required: true },
    title: { type: String, required: true },
    summary: { type: String, default: '' },
    keyId: { type: String, default: null },
    ownerId: { type: String, default: null },
    ip: { type: String, default: null },
    count: { type: Number, default: 1 },
    firstSeen: { type: Date, required: true },
    lastSeen: { type: Date, required: true },
    details: { type: [{ name: String, value: String, _id: false }], default: [] },
    response: { type: Schema.Types.Mixed, default: null },
    acknowledgedBy: { type: String, default: null },
    acknowledgedAt: { type: Date, default: null },
    resolvedBy: { type: String, default: null },
    resolvedAt: { type: Date, default: null },
    createdAt: { type: Date, required: true },
    version: { type: Number, default: 0 },
  },
  { collection: 'alerts', versionKey: false, minimize: false },
);
alertSchema.index({ orgId: 1, dedupeKey: 1 }, { unique: true });
alertSchema.index({ orgId: 1, _id: -1 });
alertSchema.index({ orgId: 1, status: 1, _id: -1 });
alertSchema.index({ orgId: 1, keyId: 1, _id: -1 });

export function alertModel(conn: Connection): Model<AlertDoc> {
  return (conn.models.Alert as Model<AlertDoc> | undefined) ?? conn.model<AlertDoc>('Alert', alertSchema);
}

/** Exactly-once automatic actions: one row per (alert, action), unique _id. */
export interface AlertActionDoc {
  _id: string;
  orgId: string;
  alertId: string;
  at: Date;
}

const actionSchema = new Schema<AlertActionDoc>(
  { _id: { type: String, required: true }, orgId: { type: String, required: true }, alertId: { type: String, required: true }, at: { type: Date, required: true } },
  { collection: 'alert_actions', versionKey: false },
);

export function alertActionModel(conn: Connection): Model<AlertActionDoc> {
  return (conn.models.AlertAction as Model<AlertActionDoc> | undefined) ?? conn.model<AlertActionDoc>('AlertAction', actionSchema);
}

export function isDuplicateKey(err: unknown): boolean {
  return (err as { code?: number })?.code === 11000;
}
