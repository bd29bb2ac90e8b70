import { randomBytes } from 'node:crypto';
import argon2 from 'argon2';
import { COMMON_PASSWORDS, SEQUENCES } from './common-passwords';

/**
 * Password rules (docs/ACCESS.md): 12–256 characters; not built from common passwords,
 * keyboard walks, alphabet/digit sequences or repeats (what is left after removing
 * them must be at least 8 characters); must not contain the email's local part;
 * at least 6 different characters. Hashing is argon2id with OWASP's minimum
 * parameters (19 MiB, 2 passes, 1 lane).
 */
export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 256;
const MIN_DISTINCT = 6;
const MIN_UNPREDICTABLE = 8;
const ARGON2 = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

const LEET: Record<string, string> = { '0': 'o', '1': 'i', '3': 'e', '4': 'a', '5': 's', '7': 't', '@': 'a', $: 's', '!': 'i' };
const WORDS = [...new Set(COMMON_PASSWORDS)].filter((w) => w.length >= 4).sort((a, b) => b.length - a.length);

function removePredictable(s: string): string {
  let out = s;
  for (const w of WORDS) out = out.split(w).join('');
  // Runs of 4+ characters taken from a sequence, forwards or backwards.
  for (const seq of SEQUENCES) {
    for (const dir of [seq, [...seq].reverse().join('')]) {
      for (let len = dir.length; len >= 4; len--) {
        for (let i = 0; i + len <= dir.length; i++) out = out.split(dir.slice(i, i + len)).join('');
      }
    }
  }
  // A character repeated three or more times counts once.
  return out.replace(/(.)\1{2,}/g, '$1');
}

/** Why a password is refused, or null when it is acceptable. */
export function passwordProblem(password: string, email?: string): string | null {
  if (typeof password !== 'string') return 'must be a string';
  if (password.length < PASSWORD_MIN_LENGTH) return `must be at least ${PASSWORD_MIN_LENGTH} characters`;
  if (password.length > PASSWORD_MAX_LENGTH) return `must be at most ${PASSWORD_MAX_LENGTH} characters`;
  const lower = password.toLowerCase();
  const local = typeof email === 'string' ? (email.split('@')[0] ?? '').toLowerCase() : '';
  if (local.length >= 3 && lower.includes(local)) return 'must not contain the name part of your email address';
  if (new Set(password).size < MIN_DISTINCT) return `must use at least ${MIN_DISTINCT} different characters`;
  const compact = lower.replace(/[\s_.-]+/g, '');
  const deleet = [...compact].map((c) => LEET[c] ?? c).join('');
  const rest = Math.min(removePredictable(compact).length, removePredictable(deleet).length);
  if (rest < MIN_UNPREDICTABLE) return 'is too easy to guess: it is built from a common password, a keyboard pattern or a sequence';
  return null;
}

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, ARGON2);
}

/** False (never throws) when the hash is malformed or the password differs. */
export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

let dummy: Promise<string> | undefined;

/**
 * Runs one verification against a throw-away hash so a login for an unknown email
 * costs the same time as one for a known email with a wrong password.
 */
export async function verifyAgainstDummy(password: string): Promise<false> {
  dummy ??= argon2.hash(randomBytes(18).toString('base64'), ARGON2);
  await verifyPassword(await dummy, password);
  return false;
}

/** A strong password for generated accounts: 24 characters of base64url (144 bits). */
export function generatePassword(): string {
  return randomBytes(18).toString('base64url');
}
