import type { Connection } from 'mongoose';
import { apiKeyModel } from '../keys/key.model';
import type { VerifySignal } from './verify-signals';

/**
 * Folds successful verifications into `lastUsedAt`, one write per key per batch and
 * never on the hot path. `$max` keeps the newest time even when two nodes flush out of
 * order (it is a single-field update, so a lost race only loses an older value).
 */
export function lastUsedConsumer(conn: Connection) {
  return async (batch: readonly VerifySignal[]): Promise<void> => {
    const newest = new Map<string, number>();
    for (const s of batch) {
      if (s.code !== 'VALID' || !s.keyId || s.reportOnly) continue;
      const prev = newest.get(s.keyId);
      if (prev === undefined || s.at > prev) newest.set(s.keyId, s.at);
    }
    if (newest.size === 0) return;
    await apiKeyModel(conn).bulkWrite(
      [...newest].map(([keyId, at]) => ({ updateOne: { filter: { _id: keyId }, update: { $max: { lastUsedAt: new Date(at) } } } })),
      { ordered: false },
    );
  };
}
