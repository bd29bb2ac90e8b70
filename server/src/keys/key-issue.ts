import { SESSION_TOKEN_PREFIX, type Environment } from '@latchkey/schema';
import { AppError } from '../infra/app-error';
import type { Config } from '../infra/config';
import { hmacHex, kekFromConfig, seal, type Sealed } from '../infra/crypto';
import { generateKey } from './key-format';
import { checkCustomKey } from './key-custom';

/**
 * Turning a plaintext into what is stored: the peppered HMAC (unique index), display
 * hints, and — only for recoverable keys — a sealed copy bound to the key id. The
 * plaintext leaves this module only in the return value the caller hands out once.
 */
export interface KeyMaterial {
  /** The plaintext: returned once to the caller, never stored, logged or audited. */
  plaintext: string;
  hash: string;
  pepperVersion: number;
  start: string;
  last4: string;
  custom: boolean;
}

/**
 * Values shaped like ours (`<prefix>_<dev|stg|prd>_…`) are refused as custom keys: the
 * verify path rejects such a value as damaged when its checksum does not match, so an
 * imported key of that shape could never verify.
 */
const LOOKS_LIKE_OURS = /^[a-z0-9]{2,12}_(dev|stg|prd)_/;

/** Field-level problems of a caller-supplied key value; throws BAD_USER_INPUT. */
/** /graphql reads any credential starting with lks_ as a session token: such a key would never authenticate there. */
export const SESSION_PREFIX_PROBLEM = `must not start with ${SESSION_TOKEN_PREFIX}, the prefix of Latchkey session tokens`;

export function collidesWithSessionTokens(value: string): boolean {
  return value.startsWith(SESSION_TOKEN_PREFIX);
}

export function assertCustomKeyAcceptable(value: string, path: (string | number)[]): void {
  const check = checkCustomKey(value);
  if (!check.ok) throw AppError.badInput(check.message, [{ path, message: check.message }]);
  if (collidesWithSessionTokens(value)) throw AppError.badInput(`customKey ${SESSION_PREFIX_PROBLEM}`, [{ path, message: SESSION_PREFIX_PROBLEM }]);
  if (LOOKS_LIKE_OURS.test(value)) {
    const message = 'A custom key must not look like a Latchkey key (<prefix>_dev|stg|prd_…): such values are checksummed and would be rejected as damaged.';
    throw AppError.badInput(message, [{ path, message }]);
  }
}

export function hashKey(config: Config, plaintext: string): string {
  return hmacHex(config.LATCHKEY_KEY_PEPPER, plaintext);
}

/** Display hints of a custom value: first 4 characters and the last 4. */
function customHints(value: string): { start: string; last4: string } {
  return { start: value.slice(0, 4), last4: value.slice(-4) };
}

export function materialFor(config: Config, opts: { prefix: string; environment: Environment; bytes?: number; customKey?: string | null }): KeyMaterial {
  if (opts.customKey) {
    const hints = customHints(opts.customKey);
    return { plaintext: opts.customKey, hash: hashKey(config, opts.customKey), pepperVersion: config.LATCHKEY_KEY_PEPPER_VERSION, ...hints, custom: true };
  }
  const g = generateKey({ prefix: opts.prefix, environment: opts.environment, bytes: opts.bytes });
  return { plaintext: g.key, hash: hashKey(config, g.key), pepperVersion: config.LATCHKEY_KEY_PEPPER_VERSION, start: g.start, last4: g.last4, custom: false };
}

/** The recoverable copy of a key, or of a one-time claim secret (AAD: the record id). */
export function sealFor(config: Config, recordId: string, plaintext: string): Sealed {
  return seal(kekFromConfig(config), recordId, plaintext);
}

/** Duplicate-key errors of the `hash` unique index become CONFLICT. */
export function isDuplicateKeyError(e: unknown): boolean {
  return (e as { code?: number }).code === 11000;
}

export function duplicateValueConflict(): AppError {
  return AppError.conflict('a key with this value already exists; choose another value');
}
