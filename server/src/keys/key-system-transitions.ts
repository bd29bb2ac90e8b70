import { Scope, type Environment } from '@latchkey/schema';
import type { AuditActor, AuditInput } from '../audit/audit-input';
import type { Principal } from '../access/principal';
import type { ApiKeyDoc } from './key.model';
import { canTransition, nextStatus } from './key-lifecycle';
import { keySnapshot, keyWebhookData, KeyEvents } from './key-events';
import { keys, lockKey, updateKeyAt } from './key-store';
import { KeyCreator } from './key-create';
import { KeyIdempotency } from './key-idempotency';
import { KeyRotator, type RotatedKey } from './key-rotate';
import { materialFor, sealFor } from './key-issue';
import { nowOf, type KeyDeps } from './key-deps';

/** System actors of scheduled work (audit `actor.type = system`). */
export const EXPIRY_ACTOR: AuditActor = { type: 'system', id: 'jobs:expiry' };
export const SCHEDULED_ROTATION_ACTOR: AuditActor = { type: 'system', id: 'jobs:rotation' };

/**
 * Key transitions that no person asks for: expiry, scheduled rotation and the sealed
 * one-time secret of a scheduled successor. Added beside the keys domain (not inside
 * it) by the jobs work; each runs under the key's lock and records through the same
 * `KeyEvents` (audit, cache invalidation on every node, realtime event).
 *
 * Scheduled rotation runs the very `KeyRotator` manual rotation uses. `Principal` has
 * no system kind, so the rotator is given a principal whose id is the system actor's
 * and an audit sink that records that id as `actor.type = system` — the rotation code
 * itself is untouched.
 */
export class KeySystemTransitions {
  private readonly events: KeyEvents;
  private readonly rotator: KeyRotator;
  private readonly creator: KeyCreator;

  constructor(private readonly deps: KeyDeps) {
    const systemDeps: KeyDeps = { ...deps, audit: { append: (i) => deps.audit.append(asSystem(i)), list: (...a) => deps.audit.list(...a) } };
    this.events = new KeyEvents(systemDeps);
    const idempotency = new KeyIdempotency(deps.conn);
    this.creator = new KeyCreator(systemDeps, this.events, idempotency);
    this.rotator = new KeyRotator(systemDeps, this.events, this.creator, idempotency);
  }

  /**
   * Moves a key whose expiry (plus `graceSeconds`) has passed to `expired`. Answers
   * null when there is nothing to do (already expired, renewed, revoked): reruns are
   * harmless. The verify path refuses the key from `expiresAt` on regardless.
   */
  async expire(keyId: string, now: Date, graceSeconds: number): Promise<{ before: ApiKeyDoc; after: ApiKeyDoc } | null> {
    return lockKey(this.deps, keyId, async () => {
      const before = await keys(this.deps).findOne({ _id: keyId }).lean<ApiKeyDoc>().exec();
      if (!before?.expiresAt || !canTransition(before.status, 'expire')) return null;
      if (before.expiresAt.getTime() + graceSeconds * 1000 > now.getTime()) return null;
      const at = nowOf(this.deps);
      const after = await updateKeyAt(this.deps, before, {
        status: nextStatus(before.status, 'expire'),
        statusReason: `expired at ${before.expiresAt.toISOString()}`,
        nextRotationAt: null,
        updatedAt: at,
      });
      // The webhook is the caller's: it carries a deterministic event id (reruns send it once).
      await this.events.record({
        orgId: after.orgId,
        actor: EXPIRY_ACTOR,
        action: 'key.expired',
        target: { type: 'key', id: after._id },
        before: keySnapshot(before),
        after: keySnapshot(after),
        keys: [after],
        status: after.status,
      });
      return { before, after };
    });
  }

  /** A rotation by the system actor through the manual rotation code (policy grace period). */
  rotate(key: Pick<ApiKeyDoc, '_id' | 'orgId'>): Promise<RotatedKey> {
    const principal: Principal = { kind: 'user', id: SCHEDULED_ROTATION_ACTOR.id, orgId: key.orgId, scopes: [Scope.keysWrite], isPlatformAdmin: false };
    return this.rotator.rotate(principal, key._id, null, null);
  }

  /**
   * Keeps a scheduled successor's secret sealed for its owner to claim once, like an
   * approved key's. Returns false when it is already sealed or was claimed.
   */
  async sealForClaim(successorId: string, secret: string, claimExpiresAt: Date): Promise<boolean> {
    return lockKey(this.deps, successorId, async () => {
      const k = await keys(this.deps).findOne({ _id: successorId }).lean<ApiKeyDoc>().exec();
      if (!k || k.claimSealed || k.status === 'revoked' || k.status === 'expired') return false;
      await updateKeyAt(this.deps, k, { claimSealed: sealFor(this.deps.config, k._id, secret), claimExpiresAt, updatedAt: nowOf(this.deps) });
      return true;
    });
  }

  /**
   * Recovery after a crash between the rotation and the sealing: the successor's
   * value was generated but never shown to anyone, so a fresh value replaces it and is
   * sealed for the claim. Only for generated values of keys nobody claimed.
   */
  async reissueUnseenSecret(successorId: string, claimExpiresAt: Date): Promise<boolean> {
    return lockKey(this.deps, successorId, async () => {
      const k = await keys(this.deps).findOne({ _id: successorId }).lean<ApiKeyDoc>().exec();
      if (!k || k.claimSealed || k.custom || k.status === 'revoked' || k.status === 'expired') return false;
      const m = materialFor(this.deps.config, { prefix: await this.creator.prefixOf(k.orgId), environment: k.environment as Environment });
      const set: Partial<ApiKeyDoc> = {
        hash: m.hash,
        pepperVersion: m.pepperVersion,
        start: m.start,
        last4: m.last4,
        claimSealed: sealFor(this.deps.config, k._id, m.plaintext),
        claimExpiresAt,
        updatedAt: nowOf(this.deps),
      };
      if (k.recoverable) set.sealed = sealFor(this.deps.config, k._id, m.plaintext);
      const after = await updateKeyAt(this.deps, k, set);
      await this.events.record({
        orgId: k.orgId,
        actor: SCHEDULED_ROTATION_ACTOR,
        action: 'key.rotation_secret_reissued',
        target: { type: 'key', id: k._id },
        before: keySnapshot(k),
        after: keySnapshot(after),
        // The unseen value's cached entry (if any) must go too.
        keys: [k, after],
        status: after.status,
      });
      return true;
    });
  }

  /**
   * A worker killed between a scheduled rotation's writes and its audit records (there are
   * no transactions to make them one) left the successor and the `rotating` key without
   * their `key.created` / `key.rotated` events and webhook. Recovery appends whichever is
   * missing, once: it looks for each first. Returns how many it appended.
   */
  async recordRecoveredRotation(oldKeyId: string, successorId: string): Promise<number> {
    const [old, next] = await Promise.all([
      keys(this.deps).findOne({ _id: oldKeyId }).lean<ApiKeyDoc>().exec(),
      keys(this.deps).findOne({ _id: successorId }).lean<ApiKeyDoc>().exec(),
    ]);
    if (!old || !next) return 0;
    const has = async (action: string, id: string) => (await this.deps.audit.list(old.orgId, { action, targetId: id }, { first: 1 })).nodes.length > 0;
    let n = 0;
    if (!(await has('key.created', next._id))) {
      await this.events.record({
        orgId: next.orgId,
        actor: SCHEDULED_ROTATION_ACTOR,
        action: 'key.created',
        target: { type: 'key', id: next._id },
        after: keySnapshot(next),
        keys: [next],
        status: next.status,
      });
      n++;
    }
    if (!(await has('key.rotated', old._id))) {
      const webhook = {
        type: 'key.rotated' as const,
        data: keyWebhookData(next, {
          previousKeyId: old._id,
          previousStatus: old.status,
          graceEndsAt: old.graceEndsAt?.toISOString() ?? null,
          actor: SCHEDULED_ROTATION_ACTOR.id,
        }),
      };
      await this.events.record({
        orgId: old.orgId,
        actor: SCHEDULED_ROTATION_ACTOR,
        action: 'key.rotated',
        target: { type: 'key', id: old._id },
        after: keySnapshot(old),
        keys: [old],
        webhook,
        status: old.status,
      });
      n++;
    }
    return n;
  }

  /** Records a claim of a scheduled successor's secret (audit, caches, realtime). */
  recordClaim(principal: Principal, before: ApiKeyDoc, after: ApiKeyDoc): Promise<void> {
    return this.events.record({
      orgId: after.orgId,
      actor: { type: principal.kind, id: principal.id },
      action: 'key.claimed',
      target: { type: 'key', id: after._id },
      before: keySnapshot(before),
      after: keySnapshot(after),
      keys: [after],
      status: after.status,
    });
  }
}

/** The scheduled-rotation principal's id is a system component, never a user. */
function asSystem(i: AuditInput): AuditInput {
  return i.actor.id === SCHEDULED_ROTATION_ACTOR.id ? { ...i, actor: { type: 'system', id: i.actor.id } } : i;
}
