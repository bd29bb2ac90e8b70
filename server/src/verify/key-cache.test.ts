import { KeyCache } from './key-cache';

const opts = { ttlMs: 1000, negativeTtlMs: 200, maxEntries: 100 };
const v = (keyId: string, orgId = 'org_a') => ({ keyId, orgId });

describe('key cache', () => {
  it('a burst of misses for one hash makes one load', async () => {
    let loads = 0;
    const cache = new KeyCache(async () => {
      loads++;
      await new Promise((r) => setTimeout(r, 20));
      return null;
    }, opts);
    await Promise.all(Array.from({ length: 100 }, () => cache.get('h')));
    expect(loads).toBe(1);
    expect(cache.peek('h')).toBeNull();
  });

  it('expires positive and negative entries after their TTLs', async () => {
    let t = 0;
    const cache = new KeyCache(async (h) => (h === 'known' ? v('key_1') : null), opts, () => t);
    await cache.get('known');
    await cache.get('unknown');
    t = 199;
    expect(cache.peek('unknown')).toBeNull();
    t = 201;
    expect(cache.peek('unknown')).toBeUndefined();
    expect(cache.peek('known')).toEqual(v('key_1'));
    t = 2001; // past the TTL and the stale window
    expect(cache.peek('known')).toBeUndefined();
  });

  it('serves a positive entry past its TTL while one background reload refreshes it', async () => {
    let t = 0;
    let loads = 0;
    let release: () => void = () => undefined;
    const cache = new KeyCache(
      async () => {
        loads++;
        if (loads > 1) await new Promise<void>((r) => (release = r));
        return v('key_1', loads > 1 ? 'org_new' : 'org_a');
      },
      opts,
      () => t,
    );
    await cache.get('known');
    t = 1500;
    // Stale: answered at once, from memory, and ten hits start one reload.
    for (let i = 0; i < 10; i++) expect(cache.peek('known')).toEqual(v('key_1'));
    expect(loads).toBe(2);
    expect(cache.stats.staleHits).toBe(10);
    release();
    await new Promise((r) => setImmediate(r));
    expect(cache.peek('known')).toEqual(v('key_1', 'org_new'));
  });

  it('a failed background reload keeps the stale entry until it expires', async () => {
    let t = 0;
    let fail = false;
    const cache = new KeyCache(
      async () => {
        if (fail) throw new Error('store down');
        return v('key_1');
      },
      opts,
      () => t,
    );
    await cache.get('known');
    fail = true;
    t = 1500;
    expect(cache.peek('known')).toEqual(v('key_1'));
    await new Promise((r) => setImmediate(r));
    expect(cache.stats.refreshFailures).toBe(1);
    expect(cache.peek('known')).toEqual(v('key_1'));
    t = 2001;
    expect(cache.peek('known')).toBeUndefined();
  });

  it('an invalidation drops a stale entry too; its reload in flight is not stored', async () => {
    let t = 0;
    let release: () => void = () => undefined;
    let loads = 0;
    const cache = new KeyCache(
      async () => {
        if (++loads > 1) await new Promise<void>((r) => (release = r));
        return v('key_1');
      },
      opts,
      () => t,
    );
    await cache.get('known');
    t = 1500;
    cache.peek('known'); // starts the reload
    cache.invalidateKey('key_1');
    release();
    await new Promise((r) => setImmediate(r));
    expect(cache.peek('known')).toBeUndefined();
  });

  it('drops entries by key id and by organization', async () => {
    const cache = new KeyCache(async (h) => v(`key_${h}`, h === 'b' ? 'org_b' : 'org_a'), opts);
    await Promise.all(['a', 'b', 'c'].map((h) => cache.get(h)));
    cache.invalidateKey('key_a');
    expect(cache.peek('a')).toBeUndefined();
    cache.invalidateOrg('org_a');
    expect(cache.peek('c')).toBeUndefined();
    expect(cache.peek('b')).toEqual(v('key_b', 'org_b'));
  });

  it('a load racing an invalidation is not cached', async () => {
    let release: () => void = () => undefined;
    const cache = new KeyCache(() => new Promise((r) => (release = () => r(v('key_x')))), opts);
    const p = cache.get('x');
    cache.invalidateKey('key_x');
    release();
    await p;
    expect(cache.peek('x')).toBeUndefined();
  });

  it('stays within its bound', async () => {
    const cache = new KeyCache(async (h) => v(`key_${h}`), { ...opts, maxEntries: 10 });
    for (let i = 0; i < 50; i++) await cache.get(String(i));
    expect(cache.stats.size).toBeLessThanOrEqual(10);
  });

  it('the key id index shrinks with the entries it points at', async () => {
    let t = 0;
    const cache = new KeyCache(async (h) => v(`key_${h}`), { ...opts, maxEntries: 10 }, () => t);
    for (let i = 0; i < 1000; i++) await cache.get(String(i));
    // Evicted entries take their index lines with them: it never outgrows the bound.
    expect(cache.indexedKeyIds).toBe(10);
    // Still consistent: the survivors invalidate by key id, the evicted are simply gone.
    cache.invalidateKey('key_999');
    expect(cache.peek('999')).toBeUndefined();
    expect(cache.indexedKeyIds).toBe(9);
    t = 5000; // every entry past its stale window: reads drop them and their lines
    for (let i = 990; i < 999; i++) expect(cache.peek(String(i))).toBeUndefined();
    expect(cache.indexedKeyIds).toBe(0);
    expect(cache.stats.size).toBe(0);
  });

  it('a key stored under a new hash keeps its index line when the old entry goes', async () => {
    const cache = new KeyCache(async () => v('key_same'), opts);
    await cache.get('old');
    await cache.get('new'); // the same key id, now under another hash
    cache.invalidateHash('old');
    cache.invalidateKey('key_same');
    expect(cache.peek('new')).toBeUndefined();
    expect(cache.indexedKeyIds).toBe(0);
  });

  it('invalidating an organization clears its index lines too', async () => {
    const cache = new KeyCache(async (h) => v(`key_${h}`, h.startsWith('b') ? 'org_b' : 'org_a'), opts);
    await Promise.all(['a1', 'a2', 'b1'].map((h) => cache.get(h)));
    cache.invalidateOrg('org_a');
    expect(cache.indexedKeyIds).toBe(1);
    expect(cache.peek('b1')).toEqual(v('key_b1', 'org_b'));
  });
});
