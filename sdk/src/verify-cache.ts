import type { Verification } from './verification';

interface Entry {
  value: Verification;
  expiresAt: number;
  keyId?: string;
}

/**
 * A small LRU of VALID answers. A Map keeps insertion order, so re-inserting on read
 * makes the first entry the least recently used. Entries are also indexed by keyId so
 * a revocation event can drop every answer about that key at once.
 */
export class VerifyCache {
  private readonly entries = new Map<string, Entry>();
  private readonly byKeyId = new Map<string, Set<string>>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries: number,
    private readonly now: () => number = Date.now,
  ) {}

  get(k: string): Verification | undefined {
    const e = this.entries.get(k);
    if (!e) return undefined;
    if (e.expiresAt <= this.now()) {
      this.delete(k);
      return undefined;
    }
    this.entries.delete(k);
    this.entries.set(k, e);
    return e.value;
  }

  set(k: string, value: Verification): void {
    if (this.ttlMs <= 0 || this.maxEntries <= 0) return;
    this.delete(k);
    while (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.delete(oldest);
    }
    this.entries.set(k, { value, expiresAt: this.now() + this.ttlMs, keyId: value.keyId });
    if (value.keyId) {
      let set = this.byKeyId.get(value.keyId);
      if (!set) this.byKeyId.set(value.keyId, (set = new Set()));
      set.add(k);
    }
  }

  /** Forget every answer about one key (revoked, suspended, rotated, updated). */
  invalidateKey(keyId: string): number {
    const set = this.byKeyId.get(keyId);
    if (!set) return 0;
    const n = set.size;
    for (const k of [...set]) this.delete(k);
    return n;
  }

  clear(): void {
    this.entries.clear();
    this.byKeyId.clear();
  }

  get size(): number {
    return this.entries.size;
  }

  private delete(k: string): void {
    const e = this.entries.get(k);
    if (!e) return;
    this.entries.delete(k);
    if (e.keyId) {
      const set = this.byKeyId.get(e.keyId);
      set?.delete(k);
      if (set?.size === 0) this.byKeyId.delete(e.keyId);
    }
  }
}
