/**
 * Rules for user-supplied key values (imports from other systems, ARCHITECTURE §3).
 *
 * The aim is "not guessable", not "looks like ours": keys from other systems are often
 * hex or decimal, and a legitimately random hex key has runs and short sequences far
 * more often than a base62 one. So the run, sequence and repetition thresholds adapt to
 * the smallest standard character set the value fits in and to its length, so that a
 * uniformly random value trips each rule by chance at most ~1 time in 10,000
 * (docs/KEY-FORMAT.md). Values that are mostly made of words, keyboard walks or one
 * repeated chunk fail regardless of length.
 */

import { parseKey } from './key-format';

export const CUSTOM_KEY_MIN_LENGTH = 32;
export const CUSTOM_KEY_MAX_LENGTH = 256;
export const CUSTOM_KEY_ALPHABET_DESCRIPTION = 'letters, digits, "_", "-" and "."';

export type CustomKeyRule =
  | 'too_short'
  | 'too_long'
  | 'alphabet'
  | 'reserved_format'
  | 'common_pattern'
  | 'run'
  | 'sequence'
  | 'repetition'
  | 'low_variety';

export type CustomKeyCheck = { ok: true } | { ok: false; rule: CustomKeyRule; message: string };

/** Expected chance hits per rule on a random value; see the file comment. */
const CHANCE_BUDGET = 1e-4;
/** Non-pattern characters a value needs (≈119 bits if they are random base62). */
const MIN_RANDOM_REMAINDER = 20;
/** Share of a value that may be words or keyboard walks. */
const MAX_PATTERN_SHARE = 0.25;

const COMMON_WORDS = [
  'password', 'passwd', 'pass', 'secret', 'test', 'testing', 'demo', 'sample', 'example', 'dummy', 'fake',
  'temp', 'default', 'changeme', 'letmein', 'welcome', 'admin', 'root', 'login', 'token', 'apikey',
  'mykey', 'access', 'private', 'public', 'master', 'hello', 'world', 'lorem', 'ipsum', 'foobar',
  'iloveyou', 'trustno1', 'monkey', 'dragon', 'shadow', 'sunshine', 'football', 'superman',
  'batman', 'placeholder', 'insert', 'your', 'here', 'prod', 'production', 'staging',
  'development', 'live', 'company', 'abc123',
];
/** Keyboard rows and columns (QWERTY, QWERTZ, AZERTY); reversed walks are added below. */
const KEYBOARD_WALKS = [
  'qwertyuiop', 'asdfghjkl', 'zxcvbnm', 'qwertzuiop', 'yxcvbnm', 'azertyuiop', 'qsdfghjklm', 'wxcvbn',
  'qazwsxedcrfvtgbyhnujmikolp', '1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik9ol0p', 'zaq1xsw2cde3vfr4bgt5nhy6mju7',
];

const MIN_WALK = 4;
const LEET: Record<string, string> = { '0': 'o', '1': 'i', '3': 'e', '4': 'a', '5': 's', '7': 't' };
function normalize(s: string): string {
  let out = '';
  for (const ch of s.toLowerCase()) out += LEET[ch] ?? ch;
  return out;
}
const WORDS = [...new Set(COMMON_WORDS.map(normalize))];
const WALK_GRAMS = new Set<string>();
// Walks are literal keys: no leet folding, which would make random text match far more often.
for (const walk of KEYBOARD_WALKS.flatMap((w) => [w, [...w].reverse().join('')])) {
  for (let i = 0; i + MIN_WALK <= walk.length; i++) WALK_GRAMS.add(walk.slice(i, i + MIN_WALK));
}

/**
 * [distinct characters, Shannon bits per character] a value must reach. Random 32-char
 * hex or decimal values fall below 10/3.0 far too often, so narrow sets get the bounds
 * that a random value of the minimum length misses about once in 100,000 draws.
 */
const VARIETY: Record<number, [number, number]> = { 10: [6, 2.4], 16: [9, 2.8] };

function isAllowed(c: number): boolean {
  return (
    (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f || c === 0x2d || c === 0x2e
  );
}

/**
 * Size of the smallest standard character set (decimal, hex, base36, base62) holding s.
 * Separators are structure ('sk_live_…', UUID dashes), not part of the random alphabet.
 */
function charsetSize(s: string): number {
  let lower = false, upper = false, nonHexLower = false, nonHexUpper = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x61 && c <= 0x7a) {
      lower = true;
      nonHexLower ||= c > 0x66;
    } else if (c >= 0x41 && c <= 0x5a) {
      upper = true;
      nonHexUpper ||= c > 0x46;
    }
  }
  if (lower && upper) return 62;
  if (!lower && !upper) return 10;
  return nonHexLower || nonHexUpper ? 36 : 16;
}

/** Fewest matching characters that occur by chance less than the budget allows. */
function chanceLength(n: number, alphabet: number, places: number): number {
  return Math.ceil(Math.log((n * places) / CHANCE_BUDGET) / Math.log(alphabet));
}

function classOf(c: number): number {
  if (c >= 0x30 && c <= 0x39) return 1;
  if (c >= 0x61 && c <= 0x7a) return 2;
  if (c >= 0x41 && c <= 0x5a) return 3;
  return 0;
}

function longestRun(s: string): { at: number; length: number } {
  let best = { at: 0, length: s.length ? 1 : 0 };
  for (let i = 1, start = 0; i <= s.length; i++) {
    if (i < s.length && s[i] === s[start]) continue;
    if (i - start > best.length) best = { at: start, length: i - start };
    start = i;
  }
  return best;
}

/** Longest stretch stepping by +1 or -1 inside one class (digits, a-z, A-Z). */
function longestSequence(s: string): { at: number; length: number } {
  let best = { at: 0, length: 1 };
  let start = 0, step = 0;
  for (let i = 1; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const d = c - s.charCodeAt(i - 1);
    const stepping = (d === 1 || d === -1) && classOf(c) !== 0 && classOf(c) === classOf(c - d);
    if (!stepping) {
      start = i;
      step = 0;
    } else if (d !== step) {
      start = i - 1;
      step = d;
    }
    if (i - start + 1 > best.length) best = { at: start, length: i - start + 1 };
  }
  return best;
}

/**
 * A chunk repeated back to back ('abcabcabc') or a long substring seen twice anywhere:
 * for each shift p, the longest stretch where s[i] === s[i + p].
 */
function findRepetition(s: string, minMatch: number): { at: number; period: number; length: number } | null {
  const n = s.length;
  const codes = new Uint8Array(n);
  for (let i = 0; i < n; i++) codes[i] = s.charCodeAt(i);
  const long = Math.max(12, minMatch);
  // Shifts beyond n/2 can only show a long repeat, not back-to-back copies.
  for (let p = 2; p <= n - minMatch; p++) {
    let stretch = 0;
    for (let i = 0; i + p < n; i++) {
      if (codes[i] !== codes[i + p]) {
        stretch = 0;
        continue;
      }
      stretch++;
      if ((stretch >= minMatch && stretch >= p) || stretch >= long) return { at: i - stretch + 1, period: p, length: stretch + p };
    }
  }
  return null;
}

/** Marks word and keyboard-walk characters; returns what was found and how much is left. */
function findCommonPatterns(value: string): { found: string[]; covered: number; remainder: number } {
  const lower = value.replace(/[_.-]/g, '').toLowerCase();
  const t = normalize(lower);
  const covered = new Uint8Array(t.length);
  const found = new Set<string>();
  for (const w of WORDS) {
    for (let at = t.indexOf(w); at >= 0; at = t.indexOf(w, at + 1)) {
      covered.fill(1, at, at + w.length);
      found.add(w);
    }
  }
  // Overlapping walk 4-grams chain into one longer walk ('qwerty' = qwer+wert+erty).
  for (let i = 0, open = -1; i <= t.length; i++) {
    const hit = i + MIN_WALK <= t.length && WALK_GRAMS.has(lower.slice(i, i + MIN_WALK));
    if (hit) {
      covered.fill(1, i, i + MIN_WALK);
      if (open < 0) open = i;
    } else if (open >= 0) {
      found.add(lower.slice(open, i - 1 + MIN_WALK));
      open = -1;
    }
  }
  let n = 0;
  for (const c of covered) n += c;
  return { found: [...found], covered: n, remainder: t.length - n };
}

function shannonBitsPerChar(s: string): { distinct: number; bits: number } {
  const counts = new Map<string, number>();
  for (const ch of s) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let bits = 0;
  for (const c of counts.values()) bits -= (c / s.length) * Math.log2(c / s.length);
  return { distinct: counts.size, bits };
}

const fail = (rule: CustomKeyRule, message: string): CustomKeyCheck => ({ ok: false, rule, message });
const quote = (s: string) => JSON.stringify(s);

/** Checks a user-supplied key value; the first failing rule is reported. */
export function checkCustomKey(value: unknown): CustomKeyCheck {
  if (typeof value !== 'string' || value.length < CUSTOM_KEY_MIN_LENGTH) {
    return fail('too_short', `A custom key must be at least ${CUSTOM_KEY_MIN_LENGTH} characters long.`);
  }
  const n = value.length;
  if (n > CUSTOM_KEY_MAX_LENGTH) {
    return fail('too_long', `A custom key must be at most ${CUSTOM_KEY_MAX_LENGTH} characters long (it has ${n}).`);
  }
  for (let i = 0; i < n; i++) {
    if (!isAllowed(value.charCodeAt(i))) {
      return fail('alphabet', `A custom key may only contain ${CUSTOM_KEY_ALPHABET_DESCRIPTION}; position ${i + 1} has ${quote(value.charAt(i))}.`);
    }
  }

  // The verify path answers MALFORMED, without a lookup, for anything shaped like a
  // generated key whose body or checksum is wrong; such a value could never be used.
  const parsed = parseKey(value);
  if (!parsed.ok && (parsed.reason === 'alphabet' || parsed.reason === 'body_length' || parsed.reason === 'checksum')) {
    return fail(
      'reserved_format',
      `The key starts like a generated key (${quote(value.slice(0, value.indexOf('_', value.indexOf('_') + 1) + 1))}…) but is not one ` +
        `(${parsed.reason === 'checksum' ? 'its checksum does not match' : 'its body is not a generated key body'}), so verification would reject it as malformed.`,
    );
  }

  const common = findCommonPatterns(value);
  if (common.found.length && (common.remainder < MIN_RANDOM_REMAINDER || common.covered > MAX_PATTERN_SHARE * (common.covered + common.remainder))) {
    const shown = common.found.slice(0, 3).map(quote).join(', ');
    return fail('common_pattern', `The key is mostly common words or keyboard patterns (${shown}), which makes it guessable.`);
  }

  const alphabet = charsetSize(value);
  const runMin = Math.max(4, chanceLength(n, alphabet, 1) + 1);
  const run = longestRun(value);
  if (run.length >= runMin) {
    return fail('run', `The key repeats ${quote(value.charAt(run.at))} ${run.length} times in a row at position ${run.at + 1}; at most ${runMin - 1} are allowed.`);
  }
  const seqMin = Math.max(5, chanceLength(n, alphabet, 2) + 1);
  const seq = longestSequence(value);
  if (seq.length >= seqMin) {
    const text = value.slice(seq.at, seq.at + seq.length);
    return fail('sequence', `The key contains the sequence ${quote(text)} at position ${seq.at + 1}; sequences of ${seqMin} or more are not allowed.`);
  }
  const rep = findRepetition(value, Math.max(6, chanceLength(n, alphabet, 5)));
  if (rep) {
    const chunk = value.slice(rep.at, rep.at + rep.period);
    return fail('repetition', `The key repeats ${quote(chunk)} at position ${rep.at + 1}; repeated chunks make a key guessable.`);
  }

  const { distinct, bits } = shannonBitsPerChar(value);
  const [minDistinct, minBits] = VARIETY[alphabet] ?? [10, 3];
  if (distinct < minDistinct || bits < minBits) {
    return fail(
      'low_variety',
      `The key uses too few different characters (${distinct} distinct, ${bits.toFixed(2)} bits per character; ` +
        `needs at least ${minDistinct} distinct and ${minBits.toFixed(2)} bits).`,
    );
  }
  return { ok: true };
}

export function isAcceptableCustomKey(value: unknown): value is string {
  return checkCustomKey(value).ok;
}
