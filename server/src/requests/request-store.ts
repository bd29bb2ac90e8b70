import type { Model } from 'mongoose';
import { IdPrefix } from '@latchkey/schema';
import type { Principal } from '../access/principal';
import { AppError } from '../infra/app-error';
import { withEntityLock } from '../infra/entity-lock';
import { idSchema, parseInput } from '../access/validation';
import type { KeyDeps } from '../keys/key-deps';
import { keyRequestModel, type KeyRequestDoc, type KeyRequestStatus } from './request.model';

/** Loading, locking and snapshotting key requests, shared by the request services. */

export function requests(deps: Pick<KeyDeps, 'conn'>): Model<KeyRequestDoc> {
  return keyRequestModel(deps.conn);
}

/** NOT_FOUND for unknown ids and ids of other organizations alike. */
export async function loadRequest(deps: Pick<KeyDeps, 'conn'>, principal: Pick<Principal, 'orgId'>, id: string, path: (string | number)[] = ['id']): Promise<KeyRequestDoc> {
  parseInput(idSchema(IdPrefix.request), id, path);
  const doc = await requests(deps).findOne({ _id: id, orgId: principal.orgId }).lean<KeyRequestDoc>().exec();
  if (!doc) throw AppError.notFound(`key request ${id}`);
  return doc;
}

export function lockRequest<T>(deps: Pick<KeyDeps, 'redis' | 'config'>, id: string, fn: () => Promise<T>): Promise<T> {
  return withEntityLock(deps.redis, deps.config.REDIS_PREFIX, id, fn);
}

/** Writes at the version read; CONFLICT when someone else got there first. */
export async function updateRequestAt(deps: Pick<KeyDeps, 'conn'>, before: KeyRequestDoc, set: Partial<KeyRequestDoc>): Promise<KeyRequestDoc> {
  const res = await requests(deps)
    .updateOne({ _id: before._id, orgId: before.orgId, version: before.version }, { $set: { ...set, version: before.version + 1 } })
    .exec();
  if (res.matchedCount === 0) throw AppError.conflict(`key request ${before._id} was changed by another request; try again`);
  const after = await requests(deps).findOne({ _id: before._id }).lean<KeyRequestDoc>().exec();
  if (!after) throw AppError.notFound(`key request ${before._id}`);
  return after;
}

/**
 * The status a reader sees: an approved request whose claim window has passed is
 * `claim_expired` even before anyone tried to claim it (nothing has to sweep it).
 */
export function effectiveStatus(r: Pick<KeyRequestDoc, 'status' | 'claimExpiresAt'>, now: Date): KeyRequestStatus {
  if (r.status === 'approved' && r.claimExpiresAt && r.claimExpiresAt.getTime() <= now.getTime()) return 'claim_expired';
  return r.status;
}

/** What the audit trail and webhooks see of a request (never the sealed custom value). */
export function requestSnapshot(r: KeyRequestDoc): Record<string, unknown> {
  const s = r.spec;
  return {
    status: r.status,
    requesterId: r.requesterId,
    justification: r.justification,
    name: s.name,
    type: s.type,
    subtype: s.subtype,
    environment: s.environment,
    ownerId: s.ownerId,
    applicationId: s.applicationId,
    permissionLevel: s.permissionLevel,
    scopes: s.scopes,
    roleIds: s.roleIds,
    expiresAt: s.expiresAt,
    custom: s.custom,
    recoverable: s.recoverable,
    approvalsRequired: r.approvalsRequired,
    approvals: r.approvals.map((a) => ({ userId: a.userId, at: a.at })),
    keyId: r.keyId,
    claimExpiresAt: r.claimExpiresAt,
  };
}

export function requestWebhookData(r: KeyRequestDoc, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    requestId: r._id,
    requesterId: r.requesterId,
    name: r.spec.name,
    type: r.spec.type,
    subtype: r.spec.subtype,
    environment: r.spec.environment,
    permissionLevel: r.spec.permissionLevel,
    status: r.status,
    approvalsRequired: r.approvalsRequired,
    approvals: r.approvals.length,
    keyId: r.keyId,
    ...extra,
  };
}
