import { z } from 'zod';
import type { AuditMeta } from '../audit/audit-input';
import type { Principal } from '../access/principal';
import { actorOf } from '../access/principal';
import { parseInput } from '../access/validation';
import { lifetimeFor } from '../orgs/org-policy';
import type { ApiKeyDoc } from './key.model';
import { assertTransition } from './key-lifecycle';
import { MAX_GRACE_PERIOD_SECONDS, lifetimeBounds } from './key-defaults';
import { keySnapshot, keyWebhookData, type KeyEvents } from './key-events';
import { assertMayManage, deleteUnusedKey, loadKey, lockKey, specOf, updateKeyAt } from './key-store';
import type { KeyCreator } from './key-create';
import type { KeyIdempotency } from './key-idempotency';
import { nowOf, type KeyDeps } from './key-deps';

const graceSchema = z
  .number({ error: 'must be a number' })
  .int('must be an integer')
  .min(0, 'must be at least 0')
  .max(MAX_GRACE_PERIOD_SECONDS, `must be at most ${MAX_GRACE_PERIOD_SECONDS} (30 days)`);

export interface RotatedKey {
  key: ApiKeyDoc;
  secret: string | null;
  previous: ApiKeyDoc;
  replayed: boolean;
}

/**
 * Rotation: a successor with the same configuration (and a fresh generated value) is
 * inserted `active` first, then the old key becomes `rotating` until `graceEndsAt`, so
 * there is never a moment where neither works. Grace 0 revokes the old key at once.
 * The successor's expiry keeps the old key's lifetime, counted from now and capped by
 * the current policy.
 */
export class KeyRotator {
  constructor(
    private readonly deps: KeyDeps,
    private readonly events: KeyEvents,
    private readonly creator: KeyCreator,
    private readonly idempotency: KeyIdempotency,
  ) {}

  async rotate(principal: Principal, id: string, gracePeriodSeconds: number | null | undefined, idempotencyKey: string | null | undefined, meta?: AuditMeta): Promise<RotatedKey> {
    const grace = gracePeriodSeconds === null || gracePeriodSeconds === undefined ? null : parseInput(graceSchema, gracePeriodSeconds, ['gracePeriodSeconds']);
    await loadKey(this.deps, principal, id);
    const r = await this.idempotency.run(principal, 'rotateApiKey', idempotencyKey, { id, gracePeriodSeconds: grace }, () =>
      lockKey(this.deps, id, async () => {
        const value = await this.rotateLocked(principal, id, grace, meta);
        return { value, outcome: { resultId: value.key._id, previousId: value.previous._id } };
      }),
    );
    if (!r.replayed) return r.value;
    const [key, previous] = await Promise.all([loadKey(this.deps, principal, r.resultId), loadKey(this.deps, principal, r.previousId ?? id)]);
    return { key, previous, secret: null, replayed: true };
  }

  private async rotateLocked(principal: Principal, id: string, grace: number | null, meta?: AuditMeta): Promise<RotatedKey> {
    const before = await loadKey(this.deps, principal, id);
    assertMayManage(principal, before, 'rotate');
    assertTransition(before.status, 'rotate');
    const policy = await this.deps.orgPolicy.getPolicy(principal.orgId);
    const graceSeconds = grace ?? before.rotationPolicy?.gracePeriodSeconds ?? policy.rotation.gracePeriodSeconds;
    const now = nowOf(this.deps);

    const spec = specOf(before);
    spec.recoverable = before.recoverable && policy.recoverableKeysAllowed;
    const bounds = lifetimeBounds(before.subtype, lifetimeFor(policy, before.type), now);
    const lifetime = before.expiresAt ? before.expiresAt.getTime() - before.createdAt.getTime() : null;
    let expiresAt = lifetime !== null ? new Date(now.getTime() + lifetime) : bounds.required ? bounds.defaultExpiry : null;
    if (expiresAt && bounds.latest && expiresAt > bounds.latest) expiresAt = bounds.latest;
    spec.expiresAt = expiresAt;

    const issued = await this.creator.issue({ principal, spec, customKey: null, requestId: before.requestId, status: 'active', now, extra: { rotatedFromId: before._id } });
    const graceEndsAt = new Date(now.getTime() + graceSeconds * 1000);
    let previous: ApiKeyDoc;
    try {
      previous = await updateKeyAt(
        this.deps,
        before,
        graceSeconds === 0
          ? {
              status: 'revoked',
              revokedAt: now,
              graceEndsAt: now,
              statusReason: 'rotated without grace period',
              rotatedToId: issued.key._id,
              sealed: null,
              nextRotationAt: null,
              updatedAt: now,
            }
          : { status: 'rotating', graceEndsAt, rotatedToId: issued.key._id, nextRotationAt: null, updatedAt: now },
      );
    } catch (e) {
      // Nothing half-written: the successor goes when the old key could not be moved on.
      await deleteUnusedKey(this.deps, issued.key);
      throw e;
    }
    const actor = actorOf(principal);
    await this.events.record({
      orgId: principal.orgId,
      actor,
      meta,
      action: 'key.created',
      target: { type: 'key', id: issued.key._id },
      after: keySnapshot(issued.key),
      keys: [issued.key],
      status: issued.key.status,
    });
    await this.events.record({
      orgId: principal.orgId,
      actor,
      meta,
      action: 'key.rotated',
      target: { type: 'key', id: before._id },
      before: keySnapshot(before),
      after: keySnapshot(previous),
      keys: [previous],
      webhook: {
        type: 'key.rotated',
        data: keyWebhookData(issued.key, {
          previousKeyId: previous._id,
          previousStatus: previous.status,
          graceEndsAt: previous.graceEndsAt?.toISOString() ?? null,
          actor: actor.id,
        }),
      },
      status: previous.status,
    });
    return { key: issued.key, secret: issued.material.plaintext, previous, replayed: false };
  }
}
