import { VerifyCache } from './verify-cache';

describe('verify cache', () => {
  it('is a bounded LRU that forgets a key on demand', () => {
    let now = 0;
    const c = new VerifyCache(1_000, 2, () => now);
    c.set('a', { valid: true, code: 'VALID', keyId: 'key_a' });
    c.set('b', { valid: true, code: 'VALID', keyId: 'key_b' });
    expect(c.get('a')).toEqual({ valid: true, code: 'VALID', keyId: 'key_a' });
    c.set('c', { valid: true, code: 'VALID', keyId: 'key_b' });
    expect(c.get('b')).toBeUndefined();
    expect(c.invalidateKey('key_b')).toBe(1);
    expect(c.size).toBe(1);
    now = 2_000;
    expect(c.get('a')).toBeUndefined();
  });
});
