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
    t = 1001;
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
});
