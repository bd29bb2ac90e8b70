import { Schema, type Connection, type Model } from 'mongoose';
import type { Environment, KeySubtype, KeyType, PermissionLevel } from '@latchkey/schema';
import type { Sealed } from '../infra/crypto';
import type { KeyRestrictions, NameValue, RotationPolicy } from '../keys/key.model';
import type { KeyLimits } from '../keys/key-limits';

export type KeyRequestStatus = 'pending_approval' | 'approved' | 'rejected' | 'claimed' | 'claim_expired';

export interface Approval {
  userId: string;
  comment: string;
  at: Date;
}

/**
 * The validated configuration a request asks for, frozen at request time so every
 * approver sees exactly what will be issued. A defaulted expiry is kept as a lifetime
 * and turned into a date when the key is issued (approval may come days later).
 */
export interface KeySpec {
  name: string;
  description: string;
  type: KeyType;
  subtype: KeySubtype;
  environment: Environment;
  ownerId: string | null;
  applicationId: string | null;
  permissionLevel: PermissionLevel;
  scopes: string[];
  roleIds: string[];
  /** Direct scopes plus role scopes at validation time (approval rules, grant checks). */
  grantedScopes: string[];
  restrictions: KeyRestrictions;
  limits: KeyLimits;
  rotationPolicy: RotationPolicy | null;
  tags: string[];
  metadata: NameValue[];
  expiresAt: Date | null;
  defaultLifetimeMs: number | null;
  recoverable: boolean;
  custom: boolean;
}

export interface KeyRequestDoc {
  _id: string;
  orgId: string;
  /** The person who asked (and the only one who may claim). */
  requesterId: string;
  /** The principal that made the call (a user, or a key acting for its owner). */
  requestedBy: string;
  justification: string;
  spec: KeySpec;
  /** A caller-supplied key value, sealed (AAD = request id) until the key is issued. */
  customSealed: Sealed | null;
  status: KeyRequestStatus;
  approvalsRequired: number;
  approvals: Approval[];
  rejection: { userId: string; reason: string; at: Date } | null;
  keyId: string | null;
  claimExpiresAt: Date | null;
  /** Bumped on every (re)issue of the one-time secret; claim markers carry it. */
  claimGeneration: number;
  claimedAt: Date | null;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

const sealedSchema = new Schema<Sealed>({ kekId: String, wrappedKey: String, ciphertext: String }, { _id: false });

const requestSchema = new Schema<KeyRequestDoc>(
  {
    _id: { type: String, required: true },
    orgId: { type: String, required: true },
    requesterId: { type: String, required: true },
    requestedBy: { type: String, required: true },
    justification: { type: String, default: '' },
    spec: { type: Schema.Types.Mixed, required: true },
    customSealed: { type: sealedSchema, default: null },
    status: { type: String, required: true },
    approvalsRequired: { type: Number, required: true },
    approvals: { type: [{ userId: String, comment: String, at: Date, _id: false }], default: [] },
    rejection: { type: Schema.Types.Mixed, default: null },
    keyId: { type: String, default: null },
    claimExpiresAt: { type: Date, default: null },
    claimGeneration: { type: Number, default: 0 },
    claimedAt: { type: Date, default: null },
    version: { type: Number, default: 0 },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'key_requests', versionKey: false, minimize: false },
);
// The approval queue, newest first: all of an organization's requests, or one status.
requestSchema.index({ orgId: 1, _id: -1 });
requestSchema.index({ orgId: 1, status: 1, _id: -1 });
requestSchema.index({ orgId: 1, requesterId: 1, _id: -1 });

export function keyRequestModel(conn: Connection): Model<KeyRequestDoc> {
  return (conn.models.KeyRequest as Model<KeyRequestDoc> | undefined) ?? conn.model<KeyRequestDoc>('KeyRequest', requestSchema);
}

/**
 * "This secret was claimed": one insert per (request, generation) under the unique
 * `_id`, so of any number of concurrent claims exactly one gets the secret.
 */
export interface ClaimMarkerDoc {
  _id: string;
  orgId: string;
  requestId: string;
  keyId: string;
  userId: string;
  at: Date;
}

const claimSchema = new Schema<ClaimMarkerDoc>(
  {
    _id: { type: String, required: true },
    orgId: { type: String, required: true },
    requestId: { type: String, required: true },
    keyId: { type: String, required: true },
    userId: { type: String, required: true },
    at: { type: Date, required: true },
  },
  { collection: 'key_claims', versionKey: false },
);

export function claimMarkerModel(conn: Connection): Model<ClaimMarkerDoc> {
  return (conn.models.KeyClaim as Model<ClaimMarkerDoc> | undefined) ?? conn.model<ClaimMarkerDoc>('KeyClaim', claimSchema);
}

export function claimMarkerId(requestId: string, generation: number): string {
  return `${requestId}:${generation}`;
}
