/**
 * The verify path's in-process cache of keys by hash (ARCHITECTURE §5 step 2).
 * - positive entries stay fresh for `ttlMs` (seconds) and are dropped at once when any
 *   node publishes a change (pub/sub) — the TTL only bounds staleness if a message is
 *   lost while Redis is away;
 * - unknown hashes are cached negatively for a shorter time;
 * - concurrent misses for one hash share one load (single flight), so a burst of
 *   unknown keys costs one database query, not many;
 * - bounded: the oldest entries go first when `maxEntries` is reached.
 */
export interface CacheOptions {
  ttlMs: number;
  negativeTtlMs: number;
  maxEntries: number;
}

interface Entry<V> {
  value: V | null;
  expiresAt: number;
}

export interface CacheStats {
  hits: number;
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
  readonly stats: CacheStats = { hits: 0, misses: 0, loads: 0, size: 0 };

  constructor(
    private readonly load: (hash: string) => Promise<V | null>,
    private readonly opts: CacheOptions,
    private readonly now: () => number = Date.now,
  ) {}

  /** Synchronous fast path: the fresh entry, `null` for a fresh negative, `undefined` on a miss. */
  peek(hash: string): V | null | undefined {
    const e = this.entries.get(hash);
    if (e === undefined) return undefined;
    if (e.expiresAt <= this.now()) {
      this.entries.delete(hash);
      return undefined;
    }
    this.stats.hits++;
    return e.value;
  }

  async get(hash: string): Promise<V | null> {
    const hit = this.peek(hash);
    if (hit !== undefined) return hit;
    this.stats.misses++;
    let p = this.inflight.get(hash);
    if (!p) {
      const gen = this.generation;
      this.stats.loads++;
      p = this.load(hash).then(
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
    }
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
    const ttl = value ? this.opts.ttlMs : this.opts.negativeTtlMs;
    this.entries.set(hash, { value, expiresAt: this.now() + ttl });
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
