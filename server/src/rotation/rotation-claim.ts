import type { Connection } from 'mongoose';
import type { Redis } from 'ioredis';
import { Scope } from '@latchkey/schema';
import type { Principal } from '../access/principal';
import type { Config } from '../infra/config';
import { AppError } from '../infra/app-error';
import { kekFromConfig, open } from '../infra/crypto';
import { hasScope } from '../access/principal';
import type { ApiKeyDoc } from '../keys/key.model';
import { keys, loadKey, lockKey, updateKeyAt } from '../keys/key-store';
import type { KeySystemTransitions } from '../keys/key-system-transitions';
import { claimMarkerIdOf, rotationMarkerModel } from './rotation.model';

export interface RotationClaimDeps {
  conn: Connection;
  redis: Redis;
  config: Config;
  system: KeySystemTransitions;
}

/**
 * `claimRotatedKey`: the one-time read of a scheduled successor's secret. Same shape
 * as an approved key's claim (`claimApiKey`), but a scheduled successor has no key
 * request, so it is claimed by key id. "Once" is an insert of `claim:${keyId}` under
 * the unique `_id`; the sealed copy is removed in the same locked step.
 */
export class RotationClaims {
  constructor(private readonly deps: RotationClaimDeps) {}

  async claim(principal: Principal, keyId: string): Promise<{ key: ApiKeyDoc; secret: string }> {
    // A person, signed in: an old key must never be able to fetch its own successor.
    if (principal.kind !== 'user') throw AppError.forbidden('claiming a rotated key needs a signed-in user');
    const probe = await loadKey(this.deps, principal, keyId, ['keyId']);
    assertMayClaim(principal, probe);
    return lockKey(this.deps, keyId, async () => {
      const key = await loadKey(this.deps, principal, keyId, ['keyId']);
      const markers = rotationMarkerModel(this.deps.conn);
      const markerId = claimMarkerIdOf(key._id);
      if (key.status === 'approved') throw AppError.invalidState('this key was issued through a request: claim it with claimApiKey(requestId)', { currentStatus: key.status });
      const now = new Date();
      const windowEnded = key.claimExpiresAt !== null && key.claimExpiresAt <= now;
      const sealed = key.claimSealed;
      if (!sealed || windowEnded) {
        const claimed = await markers.findOne({ _id: markerId }).lean<{ at: Date }>().exec();
        if (claimed) throw AppError.invalidState(`this key was already claimed at ${claimed.at.toISOString()}; its secret is shown only once`, { currentStatus: key.status });
        if (windowEnded) {
          const endedAt = key.claimExpiresAt?.toISOString();
          throw AppError.invalidState(`the claim window ended at ${endedAt}; rotate the key again (rotateApiKey) for a new secret`, { currentStatus: key.status });
        }
        throw AppError.invalidState('the key has no claimable secret (only keys rotated on schedule have one)', { currentStatus: key.status });
      }
      if (key.status !== 'active' && key.status !== 'rotating' && key.status !== 'suspended') {
        throw AppError.invalidState(`cannot claim a key that is ${key.status}`, { currentStatus: key.status });
      }
      try {
        await markers.create({ _id: markerId, orgId: key.orgId, keyId: key._id, userId: principal.id, at: now });
      } catch (e) {
        if ((e as { code?: number }).code === 11000) throw AppError.invalidState('this key was already claimed; its secret is shown only once', { currentStatus: key.status });
        throw e;
      }
      let after: ApiKeyDoc;
      let secret: string;
      try {
        secret = open([kekFromConfig(this.deps.config)], key._id, sealed);
        after = await updateKeyAt(this.deps, key, { claimSealed: null, claimExpiresAt: null, updatedAt: now });
      } catch (e) {
        await markers.deleteOne({ _id: markerId }).exec().catch(() => undefined);
        throw e;
      }
      await this.deps.system.recordClaim(principal, key, after);
      return { key: after, secret };
    });
  }

  /** Drops sealed secrets nobody claimed in time (they must not be kept forever). */
  async dropExpiredClaims(now = new Date(), limit = 500): Promise<number> {
    const stale = await keys(this.deps)
      .find({ status: { $in: ['active', 'rotating', 'suspended', 'expired', 'revoked'] }, claimSealed: { $ne: null }, claimExpiresAt: { $lte: now } }, { _id: 1 })
      .limit(limit)
      .lean<{ _id: string }[]>()
      .exec();
    let dropped = 0;
    for (const s of stale) {
      const done = await lockKey(this.deps, s._id, async () => {
        const k = await keys(this.deps).findOne({ _id: s._id }).lean<ApiKeyDoc>().exec();
        if (!k?.claimSealed || k.status === 'approved' || !k.claimExpiresAt || k.claimExpiresAt > now) return false;
        await updateKeyAt(this.deps, k, { claimSealed: null, updatedAt: new Date() });
        return true;
      }).catch(() => false);
      if (done) dropped++;
    }
    return dropped;
  }
}

/** The owner claims (the user of a user key, the application's owner); ownerless keys: keys:write. */
function assertMayClaim(principal: Principal, key: ApiKeyDoc): void {
  if (key.ownerId ? key.ownerId === principal.id : hasScope(principal, Scope.keysWrite)) return;
  throw AppError.forbidden(
    key.ownerId ? 'only the key’s owner can claim its rotated secret' : 'missing scope keys:write: only key managers can claim a system key’s rotated secret',
    key.ownerId ? {} : { missingScope: Scope.keysWrite },
  );
}
