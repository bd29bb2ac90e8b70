import type { AuditMeta } from '../audit/audit-input';
import type { Principal } from '../access/principal';
import { AppError } from '../infra/app-error';
import { kekFromConfig, open } from '../infra/crypto';
import { actorOf, requireUserId } from '../access/principal';
import { assertTransition, nextStatus } from '../keys/key-lifecycle';
import { CLAIM_WINDOW_MS } from '../keys/key-defaults';
import { materialFor, sealFor } from '../keys/key-issue';
import { keySnapshot, keyWebhookData, type KeyEvents } from '../keys/key-events';
import { loadKey, lockKey, updateKeyAt } from '../keys/key-store';
import type { KeyCreator } from '../keys/key-create';
import { nowOf, type KeyDeps } from '../keys/key-deps';
import type { ApiKeyDoc } from '../keys/key.model';
import { claimMarkerId, claimMarkerModel, type KeyRequestDoc } from './request.model';
import { effectiveStatus, loadRequest, lockRequest, requestSnapshot, updateRequestAt } from './request-store';

/**
 * One-time distribution of an approved key's secret. "Only once" is an insert of a
 * claim marker under a unique id (request, generation) — exactly one of any number of
 * concurrent claims wins even on FerretDB — done under the request's lock and after
 * the status and window checks. A reissue bumps the generation with a fresh value.
 */
export class RequestClaims {
  private indexes: Promise<unknown> | null = null;

  constructor(private readonly deps: KeyDeps, private readonly events: KeyEvents, private readonly creator: KeyCreator) {}

  async claim(principal: Principal, requestId: string, meta?: AuditMeta): Promise<{ key: ApiKeyDoc; secret: string }> {
    const userId = requireUserId(principal);
    const probe = await loadRequest(this.deps, principal, requestId, ['requestId']);
    if (probe.requesterId !== userId) throw AppError.forbidden('only the person who requested the key can claim it');
    await (this.indexes ??= claimMarkerModel(this.deps.conn).createIndexes());
    return lockRequest(this.deps, requestId, async () => {
      const req = await loadRequest(this.deps, principal, requestId, ['requestId']);
      const now = nowOf(this.deps);
      if (req.status === 'claimed') {
        const claimedAt = req.claimedAt?.toISOString() ?? 'an earlier time';
        throw AppError.invalidState(`this key was already claimed at ${claimedAt}; its secret is shown only once`, { currentStatus: 'claimed' });
      }
      if (req.status !== 'approved' && req.status !== 'claim_expired') throw AppError.invalidState(`cannot claim a request that is ${req.status}`, { currentStatus: req.status });
      if (effectiveStatus(req, now) === 'claim_expired') {
        if (req.status !== 'claim_expired') await updateRequestAt(this.deps, req, { status: 'claim_expired', updatedAt: now });
        throw AppError.invalidState(
          `the claim window ended at ${req.claimExpiresAt?.toISOString() ?? 'an earlier time'}; ask an approver to reissue the claim (reissueKeyClaim)`,
          { currentStatus: 'claim_expired' },
        );
      }
      // The key changes too: its own lock keeps a concurrent revoke or suspend from being lost.
      return lockKey(this.deps, req.keyId ?? requestId, () => this.claimKey(principal, req, userId, now, meta));
    });
  }

  private async claimKey(principal: Principal, req: KeyRequestDoc, userId: string, now: Date, meta?: AuditMeta): Promise<{ key: ApiKeyDoc; secret: string }> {
    const key = await loadKey(this.deps, principal, req.keyId ?? '', ['requestId']);
    assertTransition(key.status, 'claim');
    if (!key.claimSealed) throw AppError.invalidState('the key has no claimable secret', { currentStatus: key.status });
    const markers = claimMarkerModel(this.deps.conn);
    const markerId = claimMarkerId(req._id, req.claimGeneration);
    try {
      await markers.create({ _id: markerId, orgId: req.orgId, requestId: req._id, keyId: key._id, userId, at: now });
    } catch (e) {
      if ((e as { code?: number }).code === 11000) throw AppError.invalidState('this key was already claimed; its secret is shown only once', { currentStatus: 'claimed' });
      throw e;
    }
    let after: ApiKeyDoc;
    let secret: string;
    try {
      secret = open([kekFromConfig(this.deps.config)], key._id, key.claimSealed);
      after = await updateKeyAt(this.deps, key, { status: nextStatus(key.status, 'claim'), claimSealed: null, claimExpiresAt: null, updatedAt: now });
      await updateRequestAt(this.deps, req, { status: 'claimed', claimedAt: now, updatedAt: now });
    } catch (e) {
      await markers.deleteOne({ _id: markerId }).exec().catch(() => undefined);
      throw e;
    }
    await this.events.record({
      orgId: key.orgId,
      actor: actorOf(principal),
      meta,
      action: 'key.claimed',
      target: { type: 'key', id: key._id },
      before: keySnapshot(key),
      after: keySnapshot(after),
      keys: [after],
      requestId: req._id,
      webhook: { type: 'key.claimed', data: keyWebhookData(after, { requestId: req._id, claimedBy: userId }) },
      status: after.status,
    });
    return { key: after, secret };
  }

  /**
   * A new claim window (and, for generated keys, a new value: the old one may have
   * been seen) for an approved key whose window passed. Approvers only; the requester
   * may not reissue their own unless the request needed no approval at all.
   */
  async reissue(principal: Principal, requestId: string, meta?: AuditMeta): Promise<KeyRequestDoc> {
    const userId = requireUserId(principal);
    await loadRequest(this.deps, principal, requestId, ['requestId']);
    return lockRequest(this.deps, requestId, async () => {
      const req = await loadRequest(this.deps, principal, requestId, ['requestId']);
      const now = nowOf(this.deps);
      const status = effectiveStatus(req, now);
      if (status === 'approved') throw AppError.invalidState(`the claim window is still open until ${req.claimExpiresAt?.toISOString()}`, { currentStatus: status });
      if (status !== 'claim_expired') throw AppError.invalidState(`cannot reissue the claim of a request that is ${status}`, { currentStatus: status });
      if (req.requesterId === userId && req.approvalsRequired > 0) throw AppError.forbidden('the requester cannot reissue their own claim; ask another approver');
      return lockKey(this.deps, req.keyId ?? requestId, () => this.reissueKey(principal, req, now, meta));
    });
  }

  private async reissueKey(principal: Principal, req: KeyRequestDoc, now: Date, meta?: AuditMeta): Promise<KeyRequestDoc> {
    const key = await loadKey(this.deps, principal, req.keyId ?? '', ['requestId']);
    if (key.status !== 'approved' || !key.claimSealed) throw AppError.invalidState(`the key is ${key.status}; only unclaimed keys can be reissued`, { currentStatus: key.status });
    const claimExpiresAt = new Date(now.getTime() + CLAIM_WINDOW_MS);
    const set: Partial<ApiKeyDoc> = { claimExpiresAt, updatedAt: now };
    if (key.custom) {
      // An imported value is the requester's own: only the window is renewed.
      set.claimSealed = sealFor(this.deps.config, key._id, open([kekFromConfig(this.deps.config)], key._id, key.claimSealed));
    } else {
      const m = materialFor(this.deps.config, { prefix: await this.creator.prefixOf(key.orgId), environment: key.environment });
      Object.assign(set, { hash: m.hash, pepperVersion: m.pepperVersion, start: m.start, last4: m.last4, claimSealed: sealFor(this.deps.config, key._id, m.plaintext) });
      if (key.recoverable) set.sealed = sealFor(this.deps.config, key._id, m.plaintext);
    }
    const after = await updateKeyAt(this.deps, key, set);
    const reqAfter = await updateRequestAt(this.deps, req, { status: 'approved', claimExpiresAt, claimGeneration: req.claimGeneration + 1, updatedAt: now });
    await this.events.record({
      orgId: key.orgId,
      actor: actorOf(principal),
      meta,
      action: 'key.claim_reissued',
      target: { type: 'key_request', id: req._id },
      before: requestSnapshot(req),
      after: requestSnapshot(reqAfter),
      keyId: key._id,
      // The old value's cached entry must go too.
      keys: [key, after],
      status: reqAfter.status,
    });
    return reqAfter;
  }
}
