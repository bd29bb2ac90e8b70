import { Schema, type Connection, type Model } from 'mongoose';
import type { Granularity } from './usage-buckets';

export interface NameCount {
  name: string;
  count: number;
}

/**
 * One key's usage in one bucket (minute, hour or day). `_id` is
 * `${keyId}:${bucketStart epoch ms}`, so re-folding a bucket overwrites the same row
 * with recomputed totals (`$set`, never `$inc`): running the fold twice changes nothing.
 * Codes, statuses and countries are arrays of {name, count}: document keys must not be
 * data (CONVENTIONS, MongoDB portability).
 */
export interface UsageRollupDoc {
  _id: string;
  orgId: string;
  keyId: string;
  bucketStart: Date;
  /** Verifications of the key, whatever their outcome. */
  requests: number;
  /** Outcomes by verification code. */
  codes: NameCount[];
  /** Requests reported through POST /v1/usage. */
  reported: number;
  statusClasses: NameCount[];
  statuses: NameCount[];
  /** Dense counts per fixed latency bucket (usage-buckets.ts), trailing zeros trimmed. */
  latency: number[];
  latencySumMs: number;
  bytesIn: number;
  bytesOut: number;
  countries: NameCount[];
  /** Consumption per metered dimension (verify costs + reported costs). */
  dimensions: NameCount[];
  /** HyperLogLog estimate (±0.81 %) of distinct client IPs in the bucket. */
  distinctIps: number;
}

const nameCount = [{ name: String, count: Number, _id: false }];

const rollupSchema = new Schema<UsageRollupDoc>(
  {
    _id: { type: String, required: true },
    orgId: { type: String, required: true },
    keyId: { type: String, required: true },
    bucketStart: { type: Date, required: true },
    requests: { type: Number, default: 0 },
    codes: { type: nameCount, default: [] },
    reported: { type: Number, default: 0 },
    statusClasses: { type: nameCount, default: [] },
    statuses: { type: nameCount, default: [] },
    latency: { type: [Number], default: [] },
    latencySumMs: { type: Number, default: 0 },
    bytesIn: { type: Number, default: 0 },
    bytesOut: { type: Number, default: 0 },
    countries: { type: nameCount, default: [] },
    dimensions: { type: nameCount, default: [] },
    distinctIps: { type: Number, default: 0 },
  },
  { versionKey: false, minimize: false },
);
rollupSchema.index({ orgId: 1, bucketStart: 1 });
rollupSchema.index({ keyId: 1, bucketStart: 1 });

const COLLECTIONS: Record<Granularity, { model: string; collection: string }> = {
  MINUTE: { model: 'UsageMinute', collection: 'usage_minute' },
  HOUR: { model: 'UsageHour', collection: 'usage_hour' },
  DAY: { model: 'UsageDay', collection: 'usage_day' },
};

export function usageModel(conn: Connection, g: Granularity): Model<UsageRollupDoc> {
  const { model, collection } = COLLECTIONS[g];
  return (conn.models[model] as Model<UsageRollupDoc> | undefined) ?? conn.model<UsageRollupDoc>(model, rollupSchema.clone(), collection);
}

export const rollupId = (keyId: string, bucketStart: number): string => `${keyId}:${bucketStart}`;

/**
 * One reported request. Field names are a contract with the archival job (it moves
 * rows past retention to compressed files by {orgId, at}): keep them.
 */
export interface RequestLogDoc {
  _id: string;
  orgId: string;
  keyId: string;
  at: Date;
  code: string | null;
  status: number;
  latencyMs: number;
  bytesIn: number;
  bytesOut: number;
  ip: string | null;
  country: string | null;
  resource: string | null;
  action: string | null;
}

const requestLogSchema = new Schema<RequestLogDoc>(
  {
    _id: { type: String, required: true },
    orgId: { type: String, required: true },
    keyId: { type: String, required: true },
    at: { type: Date, required: true },
    code: { type: String, default: null },
    status: { type: Number, required: true },
    latencyMs: { type: Number, required: true },
    bytesIn: { type: Number, default: 0 },
    bytesOut: { type: Number, default: 0 },
    ip: { type: String, default: null },
    country: { type: String, default: null },
    resource: { type: String, default: null },
    action: { type: String, default: null },
  },
  { collection: 'request_logs', versionKey: false },
);
requestLogSchema.index({ orgId: 1, at: 1 });
requestLogSchema.index({ keyId: 1, at: 1 });

export function requestLogModel(conn: Connection): Model<RequestLogDoc> {
  return (conn.models.RequestLog as Model<RequestLogDoc> | undefined) ?? conn.model<RequestLogDoc>('RequestLog', requestLogSchema);
}

/**
 * Which `resource:action` a key was actually verified for, and when last: the
 * compliance report's "scopes never used" (least-privilege suggestions) reads it.
 * `_id` = `${keyId}|${resource}:${action}`.
 */
export interface ScopeUseDoc {
  _id: string;
  orgId: string;
  keyId: string;
  scope: string;
  lastUsedAt: Date;
}

const scopeUseSchema = new Schema<ScopeUseDoc>(
  {
    _id: { type: String, required: true },
    orgId: { type: String, required: true },
    keyId: { type: String, required: true },
    scope: { type: String, required: true },
    lastUsedAt: { type: Date, required: true },
  },
  { collection: 'key_scope_usage', versionKey: false },
);
scopeUseSchema.index({ orgId: 1, keyId: 1 });

export function scopeUseModel(conn: Connection): Model<ScopeUseDoc> {
  return (conn.models.KeyScopeUse as Model<ScopeUseDoc> | undefined) ?? conn.model<ScopeUseDoc>('KeyScopeUse', scopeUseSchema);
}
