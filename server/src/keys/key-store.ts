import type { Model } from 'mongoose';
import { IdPrefix, Scope, type KeyStatus } from '@latchkey/schema';
import type { Principal } from '../access/principal';
import { AppError } from '../infra/app-error';
import { withEntityLock } from '../infra/entity-lock';
import { hasScope } from '../access/principal';
import { idSchema, parseInput } from '../access/validation';
import type { KeySpec } from '../requests/request.model';
import { apiKeyModel, type ApiKeyDoc } from './key.model';
import type { KeyMaterial } from './key-issue';
import type { KeyDeps } from './key-deps';
import { claimKeyHash, releaseKeyHash } from './key-hash-index';

/** Loading, locking and building key documents, shared by the key services. */

/** Deletes a key that was never used (rolled-back creation) and its hash index entry. */
export async function deleteUnusedKey(deps: Pick<KeyDeps, 'conn'>, key: Pick<ApiKeyDoc, '_id' | 'hash'>): Promise<void> {
  await keys(deps).deleteOne({ _id: key._id }).exec();
  await releaseKeyHash(deps.conn, key.hash, key._id);
}

export function keys(deps: Pick<KeyDeps, 'conn'>): Model<ApiKeyDoc> {
  return apiKeyModel(deps.conn);
}

/** NOT_FOUND for unknown ids and ids of other organizations alike. */
export async function loadKey(deps: Pick<KeyDeps, 'conn'>, principal: Pick<Principal, 'orgId'>, id: string, path: (string | number)[] = ['id']): Promise<ApiKeyDoc> {
  parseInput(idSchema(IdPrefix.key), id, path);
  // By `_id` alone (an index search on every store, docs/MONGODB-PORTABILITY.md), then
  // the organization checked here: another organization's key is NOT_FOUND all the same.
  const doc = await keys(deps).findOne({ _id: id }).lean<ApiKeyDoc>().exec();
  if (!doc || doc.orgId !== principal.orgId) throw AppError.notFound(`API key ${id}`);
  return doc;
}

/** Serializes read-modify-write of one key across nodes (docs/MONGODB-PORTABILITY.md). */
export function lockKey<T>(deps: Pick<KeyDeps, 'redis' | 'config'>, id: string, fn: () => Promise<T>): Promise<T> {
  return withEntityLock(deps.redis, deps.config.REDIS_PREFIX, id, fn);
}

/**
 * Writes `set` only if the key is still at the version we read (belt and braces with
 * the lock); answers CONFLICT otherwise. Returns the stored document. A new value
 * (`set.hash`) gets its hash index entry before the key carries it; the old entry goes after.
 */
export async function updateKeyAt(deps: Pick<KeyDeps, 'conn'>, before: ApiKeyDoc, set: Partial<ApiKeyDoc>): Promise<ApiKeyDoc> {
  const newHash = set.hash !== undefined && set.hash !== before.hash ? set.hash : null;
  if (newHash) await claimKeyHash(deps.conn, { hash: newHash, keyId: before._id, orgId: before.orgId });
  const res = await keys(deps)
    .updateOne({ _id: before._id, orgId: before.orgId, version: before.version }, { $set: { ...set, version: before.version + 1 } })
    .exec();
  if (res.matchedCount === 0) throw AppError.conflict(`API key ${before._id} was changed by another request; try again`);
  if (newHash) await releaseKeyHash(deps.conn, before.hash, before._id);
  const after = await keys(deps).findOne({ _id: before._id }).lean<ApiKeyDoc>().exec();
  if (!after) throw AppError.notFound(`API key ${before._id}`);
  return after;
}

/** Transitions a key's owner may perform on their own user key with keys:request alone. */
export type SelfServiceAction = 'update' | 'renew' | 'rotate' | 'revoke' | 'suspend';
const SELF_SERVICE: readonly string[] = ['update', 'renew', 'rotate', 'revoke', 'suspend'];

/**
 * keys:write manages every key of the organization; the owner of a user key may
 * manage it with keys:request (docs/KEYS.md, "Who may do what") — except reactivating,
 * which would undo a suspension someone else may have imposed.
 */
export function assertMayManage(principal: Principal, key: ApiKeyDoc, action: SelfServiceAction | 'reactivate'): void {
  if (hasScope(principal, Scope.keysWrite)) return;
  const self = principal.userId ?? (principal.kind === 'user' ? principal.id : undefined);
  const owns = key.type === 'user' && key.ownerId !== null && key.ownerId === self;
  if (owns && SELF_SERVICE.includes(action) && hasScope(principal, Scope.keysRequest)) return;
  const why = owns ? `${action} of your own key needs keys:write` : 'only keys:write holders (or the owner of a user key) may change this key';
  throw AppError.forbidden(`missing scope keys:write: ${why}`, { missingScope: Scope.keysWrite });
}

export interface NewKeyFields {
  id: string;
  orgId: string;
  spec: KeySpec;
  material: KeyMaterial;
  status: KeyStatus;
  createdBy: string;
  requestId: string | null;
  expiresAt: Date | null;
  now: Date;
}

/** A complete key document from a validated spec and fresh material (no secret in it). */
export function newKeyDoc(f: NewKeyFields): ApiKeyDoc {
  const s = f.spec;
  return {
    _id: f.id,
    orgId: f.orgId,
    name: s.name,
    description: s.description,
    type: s.type,
    subtype: s.subtype,
    environment: s.environment,
    status: f.status,
    applicationId: s.applicationId,
    ownerId: s.ownerId,
    createdBy: f.createdBy,
    requestId: f.requestId,
    hash: f.material.hash,
    pepperVersion: f.material.pepperVersion,
    start: f.material.start,
    last4: f.material.last4,
    custom: f.material.custom,
    recoverable: s.recoverable,
    sealed: null,
    claimSealed: null,
    claimExpiresAt: null,
    permissionLevel: s.permissionLevel,
    scopes: s.scopes,
    roleIds: s.roleIds,
    restrictions: s.restrictions,
    limits: s.limits,
    rotationPolicy: s.rotationPolicy,
    nextRotationAt: s.rotationPolicy ? new Date(f.now.getTime() + s.rotationPolicy.everyDays * 86_400_000) : null,
    tags: s.tags,
    metadata: s.metadata,
    expiresAt: f.expiresAt,
    graceEndsAt: null,
    rotatedFromId: null,
    rotatedToId: null,
    statusReason: null,
    revokedAt: null,
    lastUsedAt: null,
    version: 0,
    createdAt: f.now,
    updatedAt: f.now,
  };
}

/** The configuration part of a stored key, as a spec (rotation copies it). */
export function specOf(k: ApiKeyDoc): KeySpec {
  return {
    name: k.name,
    description: k.description,
    type: k.type,
    subtype: k.subtype,
    environment: k.environment,
    ownerId: k.ownerId,
    applicationId: k.applicationId,
    permissionLevel: k.permissionLevel,
    scopes: k.scopes,
    roleIds: k.roleIds,
    grantedScopes: k.scopes,
    restrictions: k.restrictions,
    limits: k.limits,
    rotationPolicy: k.rotationPolicy,
    tags: k.tags,
    metadata: k.metadata,
    expiresAt: k.expiresAt,
    defaultLifetimeMs: null,
    recoverable: k.recoverable,
    custom: false,
  };
}
