import { randomBytes } from 'node:crypto';
import { seal, open, rewrap, hmacHex } from './crypto';

const kek1 = { id: 'k1', key: randomBytes(32) };
const kek2 = { id: 'k2', key: randomBytes(32) };

describe('envelope encryption', () => {
  it('round-trips and binds the record id', () => {
    const s = seal(kek1, 'key_a', 'lk_prd_secret');
    expect(open([kek1], 'key_a', s)).toBe('lk_prd_secret');
    expect(() => open([kek1], 'key_b', s)).toThrow();
  });

  it('rewraps under a new KEK without touching the ciphertext', () => {
    const s = seal(kek1, 'key_a', 'value');
    const r = rewrap([kek1], kek2, 'key_a', s);
    expect(r.ciphertext).toBe(s.ciphertext);
    expect(r.kekId).toBe('k2');
    expect(open([kek2], 'key_a', r)).toBe('value');
    expect(() => open([kek1], 'key_a', r)).toThrow(/k2/);
  });

  it('detects tampering', () => {
    const s = seal(kek1, 'key_a', 'value');
    const bytes = Buffer.from(s.ciphertext, 'base64');
    bytes[bytes.length - 1] ^= 1;
    expect(() => open([kek1], 'key_a', { ...s, ciphertext: bytes.toString('base64') })).toThrow();
  });

  it('hmac is stable and keyed', () => {
    expect(hmacHex('p', 'x')).toBe(hmacHex('p', 'x'));
    expect(hmacHex('p', 'x')).not.toBe(hmacHex('q', 'x'));
  });
});
