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
 * - bounded: the oldest entries go first when `maxEntries` is reached.
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
  private readonly entries = new Map<string, Entry<V>>();
  private readonly inflight = new Map<string, Promise<V | null>>();
  /** Generation per hash: a load that started before an invalidation must not be stored. */
  private generation = 0;
  private readonly hashByKeyId = new Map<string, string>();
  readonly stats: CacheStats = { hits: 0, misses: 0, loads: 0, size: 0, staleHits: 0, refreshFailures: 0 };

  constructor(
    private readonly load: (hash: string) => Promise<V | null>,
    private readonly opts: CacheOptions,
    private readonly now: () => number = Date.now,
  ) {}

  /** Synchronous fast path: the fresh entry, `null` for a fresh negative, `undefined` on a miss. */
  peek(hash: string): V | null | undefined {
    const e = this.entries.get(hash);
    if (e === undefined) return undefined;
    const now = this.now();
    if (e.expiresAt <= now) {
      this.entries.delete(hash);
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
    if (this.entries.size >= this.opts.maxEntries) {
      // Map iterates in insertion order: drop the oldest tenth in one go.
      let n = Math.ceil(this.opts.maxEntries / 10);
      for (const k of this.entries.keys()) {
        this.entries.delete(k);
        if (--n <= 0) break;
      }
    }
    const now = this.now();
    const freshUntil = now + (value ? this.opts.ttlMs : this.opts.negativeTtlMs);
    // Re-set so Map order stays "oldest stored first" for eviction.
    this.entries.delete(hash);
    this.entries.set(hash, { value, freshUntil, expiresAt: value ? freshUntil + (this.opts.staleMs ?? this.opts.ttlMs) : freshUntil });
    if (value) this.hashByKeyId.set(value.keyId, hash);
    this.stats.size = this.entries.size;
  }

  invalidateHash(hash: string): void {
    this.generation++;
    const e = this.entries.get(hash);
    if (e?.value) this.hashByKeyId.delete(e.value.keyId);
    this.entries.delete(hash);
  }

  invalidateKey(keyId: string): void {
    this.generation++;
    const hash = this.hashByKeyId.get(keyId);
    if (hash) {
      this.entries.delete(hash);
      this.hashByKeyId.delete(keyId);
    }
  }

  /** A role or policy change: drop every key of the organization. */
  invalidateOrg(orgId: string): void {
    this.generation++;
    for (const [hash, e] of this.entries) {
      if (e.value?.orgId === orgId) {
        this.entries.delete(hash);
        this.hashByKeyId.delete(e.value.keyId);
      }
    }
  }

  clear(): void {
    this.generation++;
    this.entries.clear();
    this.hashByKeyId.clear();
  }
}
