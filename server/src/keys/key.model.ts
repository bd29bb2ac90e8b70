import { Schema, type Connection, type Model } from 'mongoose';
import type { Environment, KeyStatus, KeySubtype, KeyType, PermissionLevel } from '@latchkey/schema';
import type { Sealed } from '../infra/crypto';
import type { KeyLimits } from './key-limits';

export type RestrictionModeName = 'enforce' | 'report_only';

export interface KeyRestrictions {
  /** IPv4/IPv6 addresses or CIDRs; empty = any. */
  ipAllowList: string[];
  /** Referrer / origin patterns such as `https://*.example.com`; empty = any. */
  referrers: string[];
  /** ISO 3166-1 alpha-2 codes; empty = any. */
  countries: string[];
  /** When true the verify request's environment must equal the key's. */
  environmentBinding: boolean;
  mode: { ip: RestrictionModeName; referrer: RestrictionModeName; country: RestrictionModeName };
}

export interface RotationPolicy {
  everyDays: number;
  gracePeriodSeconds: number;
}

export interface NameValue {
  name: string;
  value: string;
}

/**
 * One API key. The secret itself is never stored: `hash` is HMAC-SHA256(pepper, key)
 * under a unique index. `sealed` exists only for recoverable keys; `claimSealed`
 * holds the one-time secret of an approved key until it is claimed, then is removed.
 */
export interface ApiKeyDoc {
  _id: string;
  orgId: string;
  name: string;
  description: string;
  type: KeyType;
  subtype: KeySubtype;
  environment: Environment;
  status: KeyStatus;
  /** Application keys belong to an application … */
  applicationId: string | null;
  /** … user keys to a user; system keys to the organization (owner null). */
  ownerId: string | null;
  createdBy: string;
  requestId: string | null;

  hash: string;
  pepperVersion: number;
  /** prefix_env_ + first 4 of the body, for display. */
  start: string;
  last4: string;
  custom: boolean;
  recoverable: boolean;
  sealed: Sealed | null;
  claimSealed: Sealed | null;
  claimExpiresAt: Date | null;

  permissionLevel: PermissionLevel;
  scopes: string[];
  roleIds: string[];
  restrictions: KeyRestrictions;
  limits: KeyLimits;
  rotationPolicy: RotationPolicy | null;
  nextRotationAt: Date | null;
  tags: string[];
  metadata: NameValue[];

  expiresAt: Date | null;
  /** Set while an old key is inside its rotation overlap. */
  graceEndsAt: Date | null;
  rotatedFromId: string | null;
  rotatedToId: string | null;
  statusReason: string | null;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

const sealedSchema = new Schema<Sealed>({ kekId: String, wrappedKey: String, ciphertext: String }, { _id: false });

const keySchema = new Schema<ApiKeyDoc>(
  {
    _id: { type: String, required: true },
    orgId: { type: String, required: true },
    name: { type: String, required: true },
    description: { type: String, default: '' },
    type: { type: String, required: true },
    subtype: { type: String, required: true },
    environment: { type: String, required: true },
    status: { type: String, required: true },
    applicationId: { type: String, default: null },
    ownerId: { type: String, default: null },
    createdBy: { type: String, required: true },
    requestId: { type: String, default: null },
    hash: { type: String, required: true },
    pepperVersion: { type: Number, required: true },
    start: { type: String, required: true },
    last4: { type: String, required: true },
    custom: { type: Boolean, default: false },
    recoverable: { type: Boolean, default: false },
    sealed: { type: sealedSchema, default: null },
    claimSealed: { type: sealedSchema, default: null },
    claimExpiresAt: { type: Date, default: null },
    permissionLevel: { type: String, required: true },
    scopes: { type: [String], default: [] },
    roleIds: { type: [String], default: [] },
    restrictions: { type: Schema.Types.Mixed, required: true },
    limits: { type: Schema.Types.Mixed, default: {} },
    rotationPolicy: { type: Schema.Types.Mixed, default: null },
    nextRotationAt: { type: Date, default: null },
    tags: { type: [String], default: [] },
    metadata: { type: [{ name: String, value: String, _id: false }], default: [] },
    expiresAt: { type: Date, default: null },
    graceEndsAt: { type: Date, default: null },
    rotatedFromId: { type: String, default: null },
    rotatedToId: { type: String, default: null },
    statusReason: { type: String, default: null },
    revokedAt: { type: Date, default: null },
    lastUsedAt: { type: Date, default: null },
    version: { type: Number, default: 0 },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'api_keys', versionKey: false, minimize: false },
);
keySchema.index({ hash: 1 }, { unique: true });
keySchema.index({ orgId: 1, _id: 1 });
keySchema.index({ orgId: 1, status: 1, expiresAt: 1 });
// Key listings (keys/key-queries.ts): one index per sort, so "first 50 by <field>" reads 50
// index entries instead of sorting the whole organization in memory (the embedded store
// pushes a sort down when its first field follows the equality prefix), and the filters the
// console uses most with the default newest-first order. Ties are broken by _id.
keySchema.index({ orgId: 1, createdAt: -1, _id: -1 });
keySchema.index({ orgId: 1, name: 1, _id: 1 });
keySchema.index({ orgId: 1, expiresAt: 1, _id: 1 });
keySchema.index({ orgId: 1, lastUsedAt: -1, _id: -1 });
keySchema.index({ orgId: 1, status: 1, createdAt: -1, _id: -1 });
// The console's key picker: active keys, most recently used first.
keySchema.index({ orgId: 1, status: 1, lastUsedAt: -1, _id: -1 });
keySchema.index({ orgId: 1, type: 1, createdAt: -1, _id: -1 });
keySchema.index({ orgId: 1, environment: 1, createdAt: -1, _id: -1 });
// The console's usual pair of filters, listed and counted over the index alone.
keySchema.index({ orgId: 1, status: 1, environment: 1, createdAt: -1, _id: -1 });
keySchema.index({ orgId: 1, ownerId: 1, createdAt: -1, _id: -1 });
keySchema.index({ orgId: 1, applicationId: 1, createdAt: -1, _id: -1 });
// Workers' due lists (expiry warnings and expiry, scheduled rotation, grace ends): one status, a time range.
keySchema.index({ status: 1, expiresAt: 1 });
keySchema.index({ status: 1, nextRotationAt: 1 });
keySchema.index({ status: 1, graceEndsAt: 1 });

export function apiKeyModel(conn: Connection): Model<ApiKeyDoc> {
  return (conn.models.ApiKey as Model<ApiKeyDoc> | undefined) ?? conn.model<ApiKeyDoc>('ApiKey', keySchema);
}

/** Statuses in which a key answers VALID (subject to every other check). */
export const USABLE_STATUSES: readonly KeyStatus[] = ['active', 'rotating'];
