import type { VerifyCode } from '@latchkey/schema';
import type { LimitResult } from '../ratelimit/ratelimit.types';
import type { RateLimitSummary, VerifyResult } from './verify.types';

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
