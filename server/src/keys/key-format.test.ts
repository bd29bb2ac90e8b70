import { crc32 as zlibCrc32 } from 'node:zlib';
import fc from 'fast-check';
import { Environment, ENVIRONMENT_TAG } from '@latchkey/schema';
import {
  BASE62_ALPHABET,
  CHECKSUM_LENGTH,
  KEY_REGEX,
  base62encode,
  bodyLengthForBytes,
  crc32,
  formatKey,
  generateKey,
  isValidKeyPrefix,
  isWellFormedKey,
  parseKey,
} from './key-format';

const ENVS = Object.values(Environment);
const prefixArb = fc.stringMatching(/^[a-z0-9]{2,12}$/);
const envArb = fc.constantFrom(...ENVS);
const bodyArb = fc.integer({ min: 16, max: 64 }).chain((n) => fc.uint8Array({ minLength: n, maxLength: n }));
const keyArb = fc.tuple(prefixArb, envArb, bodyArb).map(([p, e, b]) => formatKey(p, e, b).key);
/** Every character a key can contain. */
const KEY_CHARS = BASE62_ALPHABET + '_';

function decodeBase62(s: string): bigint {
  let n = 0n;
  for (const ch of s) n = n * 62n + BigInt(BASE62_ALPHABET.indexOf(ch));
  return n;
}

describe('crc32', () => {
  it('matches zlib for strings and bytes', () => {
    expect(crc32('123456789')).toBe(0xcbf43926); // the standard check value
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => crc32(s) === zlibCrc32(s)),
      { numRuns: 300 },
    );
    fc.assert(fc.property(fc.uint8Array(), (b) => crc32(b) === zlibCrc32(b)));
  });

  it('checksums a sub-range without slicing', () => {
    expect(crc32('xxabcyy', 2, 5)).toBe(crc32('abc'));
  });
});

describe('base62encode', () => {
  it('pads byte arrays to a width fixed by their length', () => {
    expect(base62encode(new Uint8Array(32))).toBe('0'.repeat(43));
    expect(base62encode(new Uint8Array(32).fill(255))).toHaveLength(43);
    expect(bodyLengthForBytes(16)).toBe(22);
    expect(bodyLengthForBytes(64)).toBe(86);
  });

  it('round-trips the number the bytes spell', () => {
    fc.assert(
      fc.property(bodyArb, (b) => {
        const s = base62encode(b);
        return s.length === bodyLengthForBytes(b.length) && decodeBase62(s) === BigInt('0x' + Buffer.from(b).toString('hex'));
      }),
    );
  });

  it('encodes numbers with explicit width and refuses overflow', () => {
    expect(base62encode(61, 2)).toBe('0z');
    expect(base62encode(0)).toBe('0');
    expect(base62encode(0xffffffff, CHECKSUM_LENGTH)).toHaveLength(6);
    expect(() => base62encode(62 ** 2, 2)).toThrow(RangeError);
    expect(() => base62encode(-1)).toThrow(RangeError);
  });
});

describe('generateKey', () => {
  it('defaults to an lk prefix and 32 random bytes', () => {
    const { key, start, last4 } = generateKey({ environment: 'production' });
    expect(key).toMatch(/^lk_prd_[0-9A-Za-z]{49}$/);
    expect(start).toBe(key.slice(0, 11));
    expect(last4).toBe(key.slice(-4));
    expect(parseKey(key)).toMatchObject({ ok: true, prefix: 'lk', environment: 'production', bytes: 32 });
  });

  it('never repeats', () => {
    const keys = new Set(Array.from({ length: 1000 }, () => generateKey({ environment: 'development' }).key));
    expect(keys.size).toBe(1000);
  });

  it('refuses bad prefixes, environments and sizes with a clear error', () => {
    expect(() => generateKey({ environment: 'production', prefix: 'LK' })).toThrow(/prefix/);
    expect(() => generateKey({ environment: 'production', prefix: 'a' })).toThrow(/prefix/);
    expect(() => generateKey({ environment: 'production', prefix: 'a_b' })).toThrow(/prefix/);
    expect(() => generateKey({ environment: 'nope' as Environment })).toThrow(/environment/);
    expect(() => generateKey({ environment: 'production', bytes: 15 })).toThrow(/16–64/);
    expect(() => generateKey({ environment: 'production', bytes: 65 })).toThrow(/16–64/);
    expect(() => generateKey({ environment: 'production', bytes: 32.5 })).toThrow(/16–64/);
  });
});

describe('parseKey', () => {
  it('round-trips every prefix, environment and body size', () => {
    fc.assert(
      fc.property(prefixArb, envArb, bodyArb, (prefix, environment, body) => {
        const g = formatKey(prefix, environment, body);
        const p = parseKey(g.key);
        if (!p.ok) return false;
        return (
          p.prefix === prefix &&
          p.environment === environment &&
          p.bytes === body.length &&
          p.body === base62encode(body) &&
          g.key === `${prefix}_${ENVIRONMENT_TAG[environment]}_${p.body}${p.checksum}` &&
          g.start === `${prefix}_${ENVIRONMENT_TAG[environment]}_${p.body.slice(0, 4)}` &&
          isWellFormedKey(g.key)
        );
      }),
      { numRuns: 500 },
    );
  });

  it('rejects any single-character substitution', () => {
    fc.assert(
      fc.property(keyArb, fc.nat(), fc.nat(), (key, at, pick) => {
        const pos = at % key.length;
        const alternatives = KEY_CHARS.replace(key[pos] as string, '');
        const changed = key.slice(0, pos) + alternatives[pick % alternatives.length] + key.slice(pos + 1);
        return !parseKey(changed).ok;
      }),
      { numRuns: 2000 },
    );
  });

  it('rejects every substitution at every position of one key', () => {
    const { key } = generateKey({ environment: 'staging', prefix: 'acme', bytes: 16 });
    for (let pos = 0; pos < key.length; pos++) {
      for (const ch of KEY_CHARS) {
        if (ch === key[pos]) continue;
        expect(parseKey(key.slice(0, pos) + ch + key.slice(pos + 1)).ok).toBe(false);
      }
    }
  });

  it('rejects random strings, including ones shaped like keys', () => {
    fc.assert(fc.property(fc.string({ maxLength: 200 }), (s) => !parseKey(s).ok));
    const shaped = fc
      .tuple(prefixArb, fc.constantFrom('dev', 'stg', 'prd'), fc.stringMatching(/^[0-9A-Za-z]{28,92}$/))
      .map(([p, e, rest]) => `${p}_${e}_${rest}`);
    // 1 in 2^32 would pass by chance; fast-check draws far fewer.
    fc.assert(fc.property(shaped, (s) => !parseKey(s).ok), { numRuns: 1000 });
  });

  it('names why a value was rejected', () => {
    const { key } = generateKey({ environment: 'production' });
    const body = key.slice(7);
    expect(parseKey(42)).toEqual({ ok: false, reason: 'not_a_string' });
    expect(parseKey('lk_prd_abc')).toEqual({ ok: false, reason: 'length' });
    expect(parseKey(`LK_prd_${body}`)).toEqual({ ok: false, reason: 'prefix' });
    expect(parseKey(`abcdefghijklm_prd_${body}`)).toEqual({ ok: false, reason: 'prefix' });
    expect(parseKey(`lk_tst_${body}`)).toEqual({ ok: false, reason: 'environment' });
    expect(parseKey(`lk_prd_${body.slice(0, 10)}-${body.slice(11)}`)).toEqual({ ok: false, reason: 'alphabet' });
    expect(parseKey(`lk_prd_${body.slice(0, 10)}é${body.slice(11)}`)).toEqual({ ok: false, reason: 'alphabet' });
    expect(parseKey(`lk_prd_a${body}`)).toEqual({ ok: false, reason: 'body_length' });
    const last = key.at(-1) === 'a' ? 'b' : 'a';
    expect(parseKey(key.slice(0, -1) + last)).toEqual({ ok: false, reason: 'checksum' });
  });

  it('rejects whitespace around an otherwise valid key', () => {
    const { key } = generateKey({ environment: 'production' });
    expect(parseKey(` ${key}`).ok).toBe(false);
    expect(parseKey(`${key}\n`).ok).toBe(false);
  });
});

describe('KEY_REGEX', () => {
  it('has exact length bounds for the shortest and longest keys', () => {
    expect(KEY_REGEX.source).toBe('\\b[a-z0-9]{2,12}_(?:dev|stg|prd)_[0-9A-Za-z]{28,92}\\b');
    expect(KEY_REGEX.flags).toBe('');
  });

  it('finds generated keys inside surrounding text', () => {
    fc.assert(
      fc.property(keyArb, (key) => {
        const m = `token = "${key}";\n`.match(KEY_REGEX);
        return m !== null && m[0] === key;
      }),
    );
  });

  it('does not match look-alikes', () => {
    expect(KEY_REGEX.test('lk_prd_short')).toBe(false);
    expect(KEY_REGEX.test(`lk_xyz_${'a'.repeat(40)}`)).toBe(false);
  });
});

describe('isValidKeyPrefix', () => {
  it('accepts 2–12 of [a-z0-9] only', () => {
    expect(isValidKeyPrefix('lk')).toBe(true);
    expect(isValidKeyPrefix('acme2024corp')).toBe(true);
    expect(isValidKeyPrefix('acme2024corpx')).toBe(false);
    expect(isValidKeyPrefix('Acme')).toBe(false);
    expect(isValidKeyPrefix(7)).toBe(false);
  });
});
