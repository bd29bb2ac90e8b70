import type { Connection } from 'mongoose';
import { LRUCache } from 'lru-cache';
import type { KeyStatus, KeySubtype } from '@latchkey/schema';
import { apiKeyModel, type ApiKeyDoc } from '../keys/key.model';
import { findByIds } from '../infra/mongo';
import type { KeyLimits } from '../keys/key-limits';

/** What monitoring needs to know about a key (never its hash or material). */
export interface KeyInfo {
  keyId: string;
  orgId: string;
  name: string;
  ownerId: string | null;
  applicationId: string | null;
  status: KeyStatus;
  subtype: KeySubtype;
  graceEndsAt: number | null;
  limits: KeyLimits;
}

const FIELDS = { _id: 1, orgId: 1, name: 1, ownerId: 1, applicationId: 1, status: 1, subtype: 1, graceEndsAt: 1, limits: 1 } as const;

/**
 * A short-lived, per-process view of keys for the off-hot-path consumers (alerts,
 * usage reports): point reads by `_id` (findByIds) for the keys it has not seen in the
 * last few seconds. Staleness is bounded by `ttlMs`; decisions that must be exact (suspend)
 * go through KeyService, which re-reads under the key's lock.
 */
export class KeyDirectory {
  /** `info: null` remembers a key that does not exist (for the same TTL). */
  private readonly entries: LRUCache<string, { info: KeyInfo | null }>;

  constructor(
    private readonly conn: Connection,
    ttlMs = 5_000,
    maxEntries = 100_000,
  ) {
    this.entries = new LRUCache({ max: maxEntries, ttl: ttlMs });
  }

  async get(keyIds: Iterable<string>): Promise<Map<string, KeyInfo>> {
    const out = new Map<string, KeyInfo>();
    const missing: string[] = [];
    for (const id of new Set(keyIds)) {
      const e = this.entries.get(id);
      if (e) {
        if (e.info) out.set(id, e.info);
      } else missing.push(id);
    }
    if (missing.length > 0) {
      const docs = await findByIds<ApiKeyDoc>(apiKeyModel(this.conn), missing, FIELDS);
      const found = new Map(docs.map((d) => [d._id, toInfo(d)]));
      for (const id of missing) {
        const info = found.get(id) ?? null;
        this.entries.set(id, { info });
        if (info) out.set(id, info);
      }
    }
    return out;
  }

  async one(keyId: string): Promise<KeyInfo | undefined> {
    return (await this.get([keyId])).get(keyId);
  }

  forget(keyId: string): void {
    this.entries.delete(keyId);
  }
}

function toInfo(d: ApiKeyDoc): KeyInfo {
  return {
    keyId: d._id,
    orgId: d.orgId,
    name: d.name,
    ownerId: d.ownerId ?? null,
    applicationId: d.applicationId ?? null,
    status: d.status,
    subtype: d.subtype,
    graceEndsAt: d.graceEndsAt ? d.graceEndsAt.getTime() : null,
    limits: d.limits ?? {},
  };
}
