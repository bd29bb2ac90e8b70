import { LRUCache } from 'lru-cache';

/**
 * The verify path's in-process cache of keys by hash (ARCHITECTURE §5 step 2).
 * - positive entries stay fresh for `ttlMs` (seconds) and are dropped at once when any
 *   node publishes a change (pub/sub) — the TTL only bounds staleness if a message is
 *   lost while Redis is away;
 * - a positive entry past its TTL is still served for `staleMs` while one background
 *   reload refreshes it (stale-while-revalidate): a hot key never waits on the store,
 *   and a store outage does not stop keys verifying for that long. Invalidations drop
 *   entries whatever their age, so revocation is not delayed by it;
 * - unknown hashes are cached negatively for a shorter time (never served stale);
 * - concurrent misses for one hash share one load (single flight), so a burst of
 *   unknown keys costs one database query, not many;
 * - bounded: the least recently used entries go first when `maxEntries` is reached
 *   (lru-cache: O(1) get/set, no sweep). The key id → hash index used by invalidations
 *   follows the entries: whatever drops an entry (eviction, expiry, invalidation, a
 *   replacing store) drops its index line through lru-cache's `dispose`.
 */
export interface CacheOptions {
  ttlMs: number;
  negativeTtlMs: number;
  maxEntries: number;
  /** How long a positive entry is served past its TTL while it reloads (default: ttlMs). */
  staleMs?: number;
}

interface Entry<V> {
  value: V | null;
  /** Until then a hit needs nothing; after it (positive entries) a hit triggers a reload. */
  freshUntil: number;
  /** After this the entry is gone. */
  expiresAt: number;
}

export interface CacheStats {
  hits: number;
  /** Hits served past the TTL while a reload ran. */
  staleHits: number;
  /** Background reloads that failed (the stale entry stayed until it expired). */
  refreshFailures: number;
  misses: number;
  loads: number;
  size: number;
}

export class KeyCache<V extends { keyId: string; orgId: string }> {
  private readonly entries: LRUCache<string, Entry<V>>;
  private readonly inflight = new Map<string, Promise<V | null>>();
  /** Generation per hash: a load that started before an invalidation must not be stored. */
  private generation = 0;
  /** At most one line per entry: written after an entry is stored, removed when it goes. */
  private readonly hashByKeyId = new Map<string, string>();
  readonly stats: CacheStats = { hits: 0, misses: 0, loads: 0, size: 0, staleHits: 0, refreshFailures: 0 };

  constructor(
    private readonly load: (hash: string) => Promise<V | null>,
    private readonly opts: CacheOptions,
    private readonly now: () => number = Date.now,
  ) {
    this.entries = new LRUCache<string, Entry<V>>({
      max: Math.max(1, Math.floor(opts.maxEntries)),
      dispose: (e, hash) => {
        // Only the line that still points at this hash: a newer hash of the key may own it.
        if (e.value && this.hashByKeyId.get(e.value.keyId) === hash) this.hashByKeyId.delete(e.value.keyId);
      },
    });
  }

  /** Lines in the key id index (never more than the entries). */
  get indexedKeyIds(): number {
    return this.hashByKeyId.size;
  }

  /** Synchronous fast path: the fresh entry, `null` for a fresh negative, `undefined` on a miss. */
  peek(hash: string): V | null | undefined {
    const e = this.entries.get(hash);
    if (e === undefined) return undefined;
    const now = this.now();
    if (e.expiresAt <= now) {
      this.entries.delete(hash);
      this.stats.size = this.entries.size;
      return undefined;
    }
    this.stats.hits++;
    if (e.freshUntil <= now) {
      this.stats.staleHits++;
      if (!this.inflight.has(hash)) {
        this.fetch(hash).catch(() => {
          this.stats.refreshFailures++;
        });
      }
    }
    return e.value;
  }

  async get(hash: string): Promise<V | null> {
    const hit = this.peek(hash);
    if (hit !== undefined) return hit;
    this.stats.misses++;
    return this.inflight.get(hash) ?? this.fetch(hash);
  }

  /** One load per hash at a time; its result is stored unless an invalidation came first. */
  private fetch(hash: string): Promise<V | null> {
    const gen = this.generation;
    this.stats.loads++;
    const p = this.load(hash).then(
      (v) => {
        this.inflight.delete(hash);
        if (gen === this.generation) this.store(hash, v);
        return v;
      },
      (err: unknown) => {
        this.inflight.delete(hash);
        throw err;
      },
    );
    this.inflight.set(hash, p);
    return p;
  }

  private store(hash: string, value: V | null): void {
    const now = this.now();
    const freshUntil = now + (value ? this.opts.ttlMs : this.opts.negativeTtlMs);
    // set() disposes the entry it replaces or evicts before the index line below is written.
    this.entries.set(hash, { value, freshUntil, expiresAt: value ? freshUntil + (this.opts.staleMs ?? this.opts.ttlMs) : freshUntil });
    if (value) this.hashByKeyId.set(value.keyId, hash);
    this.stats.size = this.entries.size;
  }

  invalidateHash(hash: string): void {
    this.generation++;
    this.entries.delete(hash);
    this.stats.size = this.entries.size;
  }

  invalidateKey(keyId: string): void {
    this.generation++;
    const hash = this.hashByKeyId.get(keyId);
    if (hash) this.entries.delete(hash);
    this.stats.size = this.entries.size;
  }

  /** A role or policy change: drop every key of the organization. */
  invalidateOrg(orgId: string): void {
    this.generation++;
    const drop: string[] = [];
    for (const [hash, e] of this.entries.entries()) if (e.value?.orgId === orgId) drop.push(hash);
    for (const hash of drop) this.entries.delete(hash);
    this.stats.size = this.entries.size;
  }

  clear(): void {
    this.generation++;
    this.entries.clear();
    this.hashByKeyId.clear();
    this.stats.size = 0;
  }
}
