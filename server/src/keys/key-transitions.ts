import type { WebhookEvent } from '@latchkey/schema';
import type { AuditActor, AuditMeta } from '../audit/audit-input';
import type { Principal } from '../access/principal';
import { AppError } from '../infra/app-error';
import { kekFromConfig, open } from '../infra/crypto';
import { actorOf } from '../access/principal';
import { parseInput, text } from '../access/validation';
import { lifetimeFor } from '../orgs/org-policy';
import type { ApiKeyDoc } from './key.model';
import { nextStatus, type KeyTransition } from './key-lifecycle';
import { lifetimeBounds } from './key-defaults';
import { dateSchema, describeSpan } from './key-spec';
import { keySnapshot, keyWebhookData, type KeyEvents } from './key-events';
import { assertMayManage, keys, loadKey, lockKey, updateKeyAt, type SelfServiceAction } from './key-store';
import { ROTATION_ACTOR } from './key-create';
import { nowOf, type KeyDeps } from './key-deps';

const reasonSchema = text(0, 500).optional();

interface Change {
  transition: KeyTransition;
  manage: SelfServiceAction | 'reactivate';
  action: string;
  webhook: WebhookEvent;
  set: (before: ApiKeyDoc, now: Date) => Partial<ApiKeyDoc>;
  extra?: Record<string, unknown>;
}

/**
 * Status transitions of existing keys: revoke, suspend, reactivate, renew, the end of
 * a rotation's grace period, and reading back a recoverable key. Each runs under the
 * key's lock, checks the state machine, writes at the version it read, and records
 * the change (audit, cache invalidation, realtime event, webhook).
 */
export class KeyTransitions {
  constructor(private readonly deps: KeyDeps, private readonly events: KeyEvents) {}

  revoke(principal: Principal, id: string, reason: string | null | undefined, meta?: AuditMeta): Promise<ApiKeyDoc> {
    const why = parseInput(reasonSchema, reason ?? undefined, ['reason']) || 'revoked';
    return this.change(principal, id, meta, {
      transition: 'revoke',
      manage: 'revoke',
      action: 'key.revoked',
      webhook: 'key.revoked',
      extra: { reason: why },
      // The sealed copies go with the key: nothing revoked can be read back or claimed.
      set: (_b, now) => ({ revokedAt: now, statusReason: why, sealed: null, claimSealed: null, claimExpiresAt: null, nextRotationAt: null }),
    });
  }

  suspend(principal: Principal, id: string, reason: string | null | undefined, meta?: AuditMeta): Promise<ApiKeyDoc> {
    const why = parseInput(reasonSchema, reason ?? undefined, ['reason']) || 'suspended';
    return this.change(principal, id, meta, {
      transition: 'suspend',
      manage: 'suspend',
      action: 'key.suspended',
      webhook: 'key.suspended',
      extra: { reason: why },
      set: () => ({ statusReason: why }),
    });
  }

  reactivate(principal: Principal, id: string, meta?: AuditMeta): Promise<ApiKeyDoc> {
    return this.change(principal, id, meta, {
      transition: 'reactivate',
      manage: 'reactivate',
      action: 'key.reactivated',
      webhook: 'key.updated',
      extra: { change: 'reactivated' },
      // A key suspended during its rotation overlap goes back to that overlap, not to
      // a permanent `active` that would outlive its successor's grace period.
      set: (b, now) =>
        b.rotatedToId && b.graceEndsAt
          ? b.graceEndsAt > now
            ? { status: 'rotating', statusReason: null }
            : { status: 'revoked', revokedAt: now, statusReason: 'rotation grace period ended', sealed: null }
          : { statusReason: null },
    });
  }

  /** A new expiry, bounded by the policy's and subtype's maximum lifetime from now. */
  async renew(principal: Principal, id: string, expiresAt: unknown, meta?: AuditMeta): Promise<ApiKeyDoc> {
    const at = parseInput(dateSchema, expiresAt, ['expiresAt']);
    const probe = await loadKey(this.deps, principal, id);
    const policy = await this.deps.orgPolicy.getPolicy(principal.orgId);
    const now = nowOf(this.deps);
    if (at.getTime() <= now.getTime()) throw AppError.badInput('expiresAt must be in the future', [{ path: ['expiresAt'], message: 'must be in the future' }]);
    const bounds = lifetimeBounds(probe.subtype, lifetimeFor(policy, probe.type), now);
    if (bounds.latest && at.getTime() > bounds.latest.getTime()) {
      const message = `must be at most ${describeSpan(bounds.latest.getTime() - now.getTime())} from now for ${probe.subtype} keys (latest ${bounds.latest.toISOString()})`;
      throw AppError.badInput(`expiresAt ${message}`, [{ path: ['expiresAt'], message }]);
    }
    return this.change(principal, id, meta, {
      transition: 'renew',
      manage: 'renew',
      action: 'key.renewed',
      webhook: 'key.updated',
      extra: { change: 'renewed' },
      set: (b) => ({ expiresAt: at, statusReason: b.status === 'expired' ? null : b.statusReason }),
    });
  }

  /** Revokes every rotating key whose grace period ended by `now` (the rotation job calls it). */
  async finishDueRotations(now: Date = new Date(), limit = 500): Promise<string[]> {
    const due = await keys(this.deps).find({ status: 'rotating', graceEndsAt: { $lte: now } }, { _id: 1, orgId: 1 }).limit(limit).lean<Pick<ApiKeyDoc, '_id' | 'orgId'>[]>().exec();
    const done: string[] = [];
    for (const d of due) {
      // One key that cannot be finished now (its lock is busy) must not hold up the rest:
      // it is still due on the next run.
      try {
        const changed = await lockKey(this.deps, d._id, async () => {
          const before = await loadKey(this.deps, d, d._id);
          if (before.status !== 'rotating' || !before.graceEndsAt || before.graceEndsAt > now) return false;
          const after = await updateKeyAt(this.deps, before, {
            status: nextStatus(before.status, 'finish_rotation'),
            revokedAt: now,
            statusReason: 'rotation grace period ended',
            sealed: null,
            updatedAt: now,
          });
          await this.record(ROTATION_ACTOR, undefined, 'key.revoked', 'key.revoked', before, after, { reason: after.statusReason });
          return true;
        });
        if (changed) done.push(d._id);
      } catch (err) {
        this.deps.logger.warn({ err, keyId: d._id }, 'could not finish a rotation; retrying on the next run');
      }
    }
    return done;
  }

  /** The plaintext of a recoverable key (keys:reveal, checked by the resolver); audited. */
  async reveal(principal: Principal, id: string, meta?: AuditMeta): Promise<{ key: ApiKeyDoc; secret: string }> {
    const key = await loadKey(this.deps, principal, id);
    if (!key.recoverable || !key.sealed) {
      throw AppError.invalidState(
        key.recoverable ? `the key is ${key.status}; its recoverable copy was destroyed` : 'the key is not recoverable: only its hash is stored',
        { currentStatus: key.status },
      );
    }
    let secret: string;
    try {
      secret = open([kekFromConfig(this.deps.config)], key._id, key.sealed);
    } catch {
      throw AppError.unavailable('the key cannot be decrypted with the configured key-encryption key (was the KEK rotated without rewrapping?)');
    }
    await this.deps.audit.append({
      orgId: key.orgId,
      actor: actorOf(principal),
      action: 'key.revealed',
      target: { type: 'key', id: key._id },
      before: null,
      after: { start: key.start, last4: key.last4 },
      meta,
    });
    return { key, secret };
  }

  private async change(principal: Principal, id: string, meta: AuditMeta | undefined, c: Change): Promise<ApiKeyDoc> {
    await loadKey(this.deps, principal, id);
    return lockKey(this.deps, id, async () => {
      const before = await loadKey(this.deps, principal, id);
      assertMayManage(principal, before, c.manage);
      const now = nowOf(this.deps);
      const status = nextStatus(before.status, c.transition);
      const after = await updateKeyAt(this.deps, before, { status, ...c.set(before, now), updatedAt: now });
      await this.record(actorOf(principal), meta, c.action, c.webhook, before, after, c.extra);
      return after;
    });
  }

  private record(
    actor: AuditActor,
    meta: AuditMeta | undefined,
    action: string,
    webhook: WebhookEvent,
    before: ApiKeyDoc,
    after: ApiKeyDoc,
    extra: Record<string, unknown> = {},
  ): Promise<void> {
    return this.events.record({
      orgId: after.orgId,
      actor,
      meta,
      action,
      target: { type: 'key', id: after._id },
      before: keySnapshot(before),
      after: keySnapshot(after),
      keys: [after],
      webhook: { type: webhook, data: keyWebhookData(after, { actor: actor.id, ...extra }) },
      status: after.status,
    });
  }
}

