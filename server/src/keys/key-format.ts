import { randomBytes } from 'node:crypto';
import { crc32 as zlibCrc32 } from 'node:zlib';
import { ENVIRONMENT_TAG, type Environment } from '@latchkey/schema';
import { AppError } from '../infra/app-error';

/**
 * Generated key strings: `<prefix>_<env>_<body><checksum>` (docs/KEY-FORMAT.md).
 *
 * `parseKey` runs first on the verify hot path (ARCHITECTURE §5 step 1), so it scans
 * character codes by hand: no regular expressions, no intermediate strings until the
 * key is known to be well formed.
 */

export const BASE62_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
export const DEFAULT_KEY_PREFIX = 'lk';
export const KEY_PREFIX_MIN_LENGTH = 2;
export const KEY_PREFIX_MAX_LENGTH = 12;
export const KEY_BYTES_MIN = 16;
export const KEY_BYTES_MAX = 64;
export const KEY_BYTES_DEFAULT = 32;
/** 62^6 > 2^32, so six base62 digits hold every CRC32 value. */
export const CHECKSUM_LENGTH = 6;

/** Base62 value of each char code, -1 for anything else (indexed by code < 128). */
const BASE62_VALUE = new Int8Array(128).fill(-1);
for (let i = 0; i < BASE62_ALPHABET.length; i++) BASE62_VALUE[BASE62_ALPHABET.charCodeAt(i)] = i;

/**
 * CRC-32 (IEEE 802.3, as zlib/PNG: node:zlib's, so every key ever issued keeps its
 * checksum) of bytes, or of a string's UTF-8 encoding. `start`/`end` select a range so
 * the verify path can checksum the front of a key; a string range is a V8 slice, not a copy.
 */
export function crc32(data: string | Uint8Array, start = 0, end = data.length): number {
  const whole = start === 0 && end === data.length;
  if (typeof data === 'string') return zlibCrc32(whole ? data : data.slice(start, end));
  return zlibCrc32(whole ? data : data.subarray(start, end));
}

/**
 * Smallest number of base62 digits that can hold any `bytes`-byte value (62^w ≥ 256^n).
 * Computed exactly with BigInt: a float log would be off by one at some sizes.
 */
function widthFor(bytes: number): number {
  const limit = 1n << BigInt(bytes * 8);
  let w = 0;
  for (let p = 1n; p < limit; p *= 62n) w++;
  return w;
}

/** BODY_WIDTH[n] = base62 body length for n random bytes; body lengths map back to n. */
const BODY_WIDTH: (number | undefined)[] = [];
const BYTES_FOR_WIDTH: (number | undefined)[] = [];
for (let n = KEY_BYTES_MIN; n <= KEY_BYTES_MAX; n++) {
  const w = widthFor(n);
  BODY_WIDTH[n] = w;
  BYTES_FOR_WIDTH[w] = n;
}

export function bodyLengthForBytes(bytes: number): number {
  const w = BODY_WIDTH[bytes];
  if (w === undefined) throw new RangeError(`bytes must be an integer in ${KEY_BYTES_MIN}..${KEY_BYTES_MAX}`);
  return w;
}

export const KEY_BODY_MIN_LENGTH = bodyLengthForBytes(KEY_BYTES_MIN);
export const KEY_BODY_MAX_LENGTH = bodyLengthForBytes(KEY_BYTES_MAX);
export const KEY_MIN_LENGTH = KEY_PREFIX_MIN_LENGTH + 5 + KEY_BODY_MIN_LENGTH + CHECKSUM_LENGTH;
export const KEY_MAX_LENGTH = KEY_PREFIX_MAX_LENGTH + 5 + KEY_BODY_MAX_LENGTH + CHECKSUM_LENGTH;

/**
 * For secret scanners (GitHub, gitleaks, trufflehog): `\b` rather than lookbehind keeps
 * it portable to RE2/Go engines. Not global, so it carries no `lastIndex` state; use
 * `new RegExp(KEY_REGEX.source, 'g')` to find every match. It over-approximates (any
 * body length in range, no checksum), so confirm matches with `isWellFormedKey`.
 */
export const KEY_REGEX = new RegExp(
  `\\b[a-z0-9]{${KEY_PREFIX_MIN_LENGTH},${KEY_PREFIX_MAX_LENGTH}}_(?:dev|stg|prd)_` +
    `[0-9A-Za-z]{${KEY_BODY_MIN_LENGTH + CHECKSUM_LENGTH},${KEY_BODY_MAX_LENGTH + CHECKSUM_LENGTH}}\\b`,
);

/**
 * Base62 (0-9A-Za-z) of a big-endian unsigned number, left-padded with '0' to `width`.
 * Byte arrays default to the fixed width for their length, so equal-length inputs always
 * give equal-length output (leading zero bytes included).
 */
export function base62encode(value: Uint8Array | bigint | number, width?: number): string {
  let n: bigint;
  let w = width ?? 0;
  if (value instanceof Uint8Array) {
    n = value.length === 0 ? 0n : BigInt('0x' + Buffer.from(value.buffer, value.byteOffset, value.length).toString('hex'));
    if (width === undefined) w = BODY_WIDTH[value.length] ?? widthFor(value.length);
  } else {
    if (typeof value === 'number' && !Number.isSafeInteger(value)) throw new RangeError('base62encode needs a safe integer');
    n = BigInt(value);
    if (n < 0n) throw new RangeError('base62encode needs a non-negative value');
    w = Math.max(w, 1);
  }
  let out = '';
  while (n > 0n) {
    out = BASE62_ALPHABET[Number(n % 62n)] + out;
    n /= 62n;
  }
  if (out.length > w && width !== undefined) throw new RangeError(`value does not fit in ${width} base62 digits`);
  return out.padStart(w, '0');
}

const TAG_TO_ENV = new Map<string, Environment>(
  Object.entries(ENVIRONMENT_TAG).map(([env, tag]) => [tag, env as Environment]),
);

export function isValidKeyPrefix(prefix: unknown): prefix is string {
  if (typeof prefix !== 'string') return false;
  if (prefix.length < KEY_PREFIX_MIN_LENGTH || prefix.length > KEY_PREFIX_MAX_LENGTH) return false;
  for (let i = 0; i < prefix.length; i++) if (!isPrefixChar(prefix.charCodeAt(i))) return false;
  return true;
}

function isPrefixChar(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39);
}

export interface KeyOptions {
  /** Organization prefix, 2–12 of [a-z0-9]; default `lk`. */
  prefix?: string;
  environment: Environment;
  /** Random bytes in the body, 16–64; default 32. */
  bytes?: number;
}

export interface GeneratedKey {
  /** The plaintext key: shown once, then only its HMAC is stored. */
  key: string;
  /** prefix_env_ + first 4 body chars, safe to display. */
  start: string;
  last4: string;
}

/**
 * Deterministic half of `generateKey`, split out so tests can drive it with chosen
 * bytes (all-zero, all-0xff) instead of trusting randomness to hit the edges.
 */
export function formatKey(prefix: string, environment: Environment, body: Uint8Array): GeneratedKey {
  if (!isValidKeyPrefix(prefix)) {
    throw AppError.badInput(`key prefix must be ${KEY_PREFIX_MIN_LENGTH}–${KEY_PREFIX_MAX_LENGTH} characters of a-z and 0-9`, [
      { path: ['prefix'], message: 'invalid key prefix' },
    ]);
  }
  const tag = ENVIRONMENT_TAG[environment];
  if (tag === undefined) {
    throw AppError.badInput(`unknown environment ${String(environment)}`, [{ path: ['environment'], message: 'unknown environment' }]);
  }
  if (BODY_WIDTH[body.length] === undefined) {
    throw AppError.badInput(`key body must be ${KEY_BYTES_MIN}–${KEY_BYTES_MAX} bytes`, [
      { path: ['bytes'], message: `must be an integer in ${KEY_BYTES_MIN}..${KEY_BYTES_MAX}` },
    ]);
  }
  const head = `${prefix}_${tag}_`;
  const encoded = base62encode(body);
  const front = head + encoded;
  const key = front + base62encode(crc32(front), CHECKSUM_LENGTH);
  return { key, start: head + encoded.slice(0, 4), last4: key.slice(-4) };
}

/** A new key from the CSPRNG. */
export function generateKey(options: KeyOptions): GeneratedKey {
  const bytes = options.bytes ?? KEY_BYTES_DEFAULT;
  if (!Number.isInteger(bytes) || BODY_WIDTH[bytes] === undefined) {
    throw AppError.badInput(`key body must be ${KEY_BYTES_MIN}–${KEY_BYTES_MAX} bytes`, [
      { path: ['bytes'], message: `must be an integer in ${KEY_BYTES_MIN}..${KEY_BYTES_MAX}` },
    ]);
  }
  return formatKey(options.prefix ?? DEFAULT_KEY_PREFIX, options.environment, randomBytes(bytes));
}

export type KeyParseFailure =
  | 'not_a_string'
  | 'length'
  | 'prefix'
  | 'environment'
  | 'alphabet'
  | 'body_length'
  | 'checksum';

export type ParsedKey =
  | { ok: true; prefix: string; environment: Environment; body: string; checksum: string; bytes: number }
  | { ok: false; reason: KeyParseFailure };

// Failures are shared frozen objects: rejecting junk should not allocate either.
const fail = (reason: KeyParseFailure): ParsedKey => Object.freeze({ ok: false, reason });
const FAIL = {
  not_a_string: fail('not_a_string'),
  length: fail('length'),
  prefix: fail('prefix'),
  environment: fail('environment'),
  alphabet: fail('alphabet'),
  body_length: fail('body_length'),
  checksum: fail('checksum'),
} as const;

/** Parses and checksums a presented key. Pure, never throws, O(length). */
export function parseKey(value: unknown): ParsedKey {
  if (typeof value !== 'string') return FAIL.not_a_string;
  const len = value.length;
  if (len < KEY_MIN_LENGTH || len > KEY_MAX_LENGTH) return FAIL.length;

  // Prefix: [a-z0-9]{2,12} then '_'.
  let i = 0;
  while (i < len && i <= KEY_PREFIX_MAX_LENGTH && isPrefixChar(value.charCodeAt(i))) i++;
  if (i < KEY_PREFIX_MIN_LENGTH || i > KEY_PREFIX_MAX_LENGTH || value.charCodeAt(i) !== 0x5f) return FAIL.prefix;
  const prefixEnd = i;

  // Environment: exactly three letters then '_'; compared as codes, looked up once valid.
  const e0 = value.charCodeAt(i + 1);
  const e1 = value.charCodeAt(i + 2);
  const e2 = value.charCodeAt(i + 3);
  const isTag =
    (e0 === 0x64 && e1 === 0x65 && e2 === 0x76) || // dev
    (e0 === 0x73 && e1 === 0x74 && e2 === 0x67) || // stg
    (e0 === 0x70 && e1 === 0x72 && e2 === 0x64); // prd
  if (!isTag || value.charCodeAt(i + 4) !== 0x5f) return FAIL.environment;
  const bodyStart = i + 5;

  // Body + checksum: base62 only; the checksum digits are decoded on the way.
  const checksumStart = len - CHECKSUM_LENGTH;
  let expected = 0;
  for (let j = bodyStart; j < len; j++) {
    const c = value.charCodeAt(j);
    const v = c < 128 ? BASE62_VALUE[c] : -1;
    if (v < 0) return FAIL.alphabet;
    if (j >= checksumStart) expected = expected * 62 + v;
  }
  const bytes = BYTES_FOR_WIDTH[checksumStart - bodyStart];
  if (bytes === undefined) return FAIL.body_length;
  if (crc32(value, 0, checksumStart) !== expected) return FAIL.checksum;

  const tag = value.slice(prefixEnd + 1, prefixEnd + 4);
  return {
    ok: true,
    prefix: value.slice(0, prefixEnd),
    environment: TAG_TO_ENV.get(tag) as Environment,
    body: value.slice(bodyStart, checksumStart),
    checksum: value.slice(checksumStart),
    bytes,
  };
}

/** True when the value has our format and a matching checksum (it may still be unknown). */
export function isWellFormedKey(value: unknown): value is string {
  return parseKey(value).ok;
}
