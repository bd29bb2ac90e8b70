import type { Connection } from 'mongoose';
import type { Redis } from 'ioredis';
import { LRUCache } from 'lru-cache';
import { apiKeyModel, type ApiKeyDoc } from '../keys/key.model';
import { withEntityLock } from '../infra/entity-lock';
import type { Logger } from '../infra/logger';
import type { VerifySignal } from './verify-signals';

/** lastUsedAt is kept to the minute: one write per active key per minute per node. */
const PRECISION_MS = 60_000;
/** Keys remembered; a forgotten key costs one more write, never a wrong value. */
const TRACKED_KEYS = 100_000;

/**
 * Folds successful verifications into `lastUsedAt`, off the hot path. Every write
 * takes the key's entity lock: FerretDB rewrites the whole document on update
 * (docs/MONGODB-PORTABILITY.md), so an unlocked `$max` racing a revocation could put
 * the old status back. The lock is why writes are coarsened to the minute.
 *
 * Under the lock the comparison is a read then a write, both filtered on `_id` alone:
 * the only filter FerretDB pushes down to SQLite (docs/MONGODB-PORTABILITY.md). With
 * one more condition (`$or` on lastUsedAt) every update decoded every key in the store.
 */
export function lastUsedConsumer(deps: { conn: Connection; redis: Redis; prefix: string; logger: Logger }) {
  const written = new LRUCache<string, number>({ max: TRACKED_KEYS });
  return async (batch: readonly VerifySignal[]): Promise<void> => {
    const newest = new Map<string, number>();
    for (const s of batch) {
      if (s.code !== 'VALID' || !s.keyId || s.reportOnly) continue;
      if (s.at - (written.get(s.keyId) ?? 0) < PRECISION_MS) continue;
      if (s.at > (newest.get(s.keyId) ?? 0)) newest.set(s.keyId, s.at);
    }
    const model = apiKeyModel(deps.conn);
    for (const [keyId, at] of newest) {
      written.set(keyId, at);
      await withEntityLock(deps.redis, deps.prefix, keyId, async () => {
        const cur = await model.findOne({ _id: keyId }, { lastUsedAt: 1 }).lean<Pick<ApiKeyDoc, 'lastUsedAt'>>().exec();
        if (!cur || (cur.lastUsedAt && cur.lastUsedAt.getTime() >= at)) return;
        await model.updateOne({ _id: keyId }, { $set: { lastUsedAt: new Date(at) } }).exec();
      }).catch((err: unknown) => deps.logger.debug({ err, keyId }, 'lastUsedAt not recorded this minute'));
    }
  };
}
