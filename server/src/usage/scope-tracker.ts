import type { Connection } from 'mongoose';
import { LRUCache } from 'lru-cache';
import type { VerifySignal } from '../verify/verify-signals';
import { scopeUseModel } from './usage.model';

/** A scope's "last used" only needs minute precision for least-privilege reports. */
const REWRITE_AFTER_MS = 60_000;
/** (key, scope) pairs remembered; the least recently used are forgotten (and rewritten once more). */
const TRACKED = 200_000;

/**
 * Records which `resource:action` each key was successfully verified for, so the
 * compliance report can list scopes a key holds but never uses. One upsert per
 * (key, scope) per node per minute; `$max` keeps the newest time when nodes race (a
 * single-field update: a lost race only loses an older value).
 */
export class ScopeTracker {
  private readonly written = new LRUCache<string, number>({ max: TRACKED });

  constructor(private readonly conn: Connection) {}

  async onSignals(batch: readonly VerifySignal[]): Promise<void> {
    const now = Date.now();
    const due = new Map<string, { orgId: string; keyId: string; scope: string; at: number }>();
    for (const s of batch) {
      if (s.code !== 'VALID' || s.reportOnly || !s.keyId || !s.orgId || !s.resource || !s.action) continue;
      const scope = `${s.resource}:${s.action}`;
      const id = `${s.keyId}|${scope}`;
      const last = this.written.get(id);
      if (last !== undefined && now - last < REWRITE_AFTER_MS) continue;
      due.set(id, { orgId: s.orgId, keyId: s.keyId, scope, at: s.at });
    }
    if (due.size === 0) return;
    await scopeUseModel(this.conn).bulkWrite(
      [...due].map(([id, u]) => ({
        updateOne: {
          filter: { _id: id },
          update: { $set: { orgId: u.orgId, keyId: u.keyId, scope: u.scope }, $max: { lastUsedAt: new Date(u.at) } },
          upsert: true,
        },
      })),
      { ordered: false },
    );
    for (const id of due.keys()) this.written.set(id, now);
  }
}
