import type { KeySubtype, KeyType, RateLimitSummary, VerifyAnswer, VerifyCode } from '@latchkey/schema';
import type { LimitPolicy, LimitResult } from '../ratelimit/limits';

/** A verify answer as the server builds it: the wire body (schema's VerifyAnswer) and what only becomes headers. */
export interface VerifyResult extends VerifyAnswer {
  type?: KeyType;
  subtype?: KeySubtype;
  /** For RateLimit-Policy / RateLimit / Retry-After headers; not part of the JSON body. */
  policies?: LimitPolicy[];
  retryAfterMs?: number;
}

// Denials of the cheap kinds are shared frozen objects: junk costs no allocation.
const FROZEN = new Map<string, VerifyResult>();

export function denied(code: VerifyCode, reason: string): VerifyResult {
  const k = `${code}|${reason}`;
  let r = FROZEN.get(k);
  if (!r) {
    r = Object.freeze({ valid: false, code, reason });
    if (FROZEN.size < 1_000) FROZEN.set(k, r);
  }
  return r;
}

export function summarize(l: LimitResult): RateLimitSummary | undefined {
  if (l.limit < 0) return undefined;
  return { limit: l.limit, remaining: l.remaining, resetMs: l.resetMs, window: l.window ?? l.policy ?? 'none' };
}
