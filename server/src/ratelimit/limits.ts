/** What the limiter is asked and what a check answers; a key's configured limits are keys/key-limits.ts. */

export interface CheckRequest {
  /** Weight of this request against request windows, burst and credits (default 1). */
  cost?: number;
  /** Cost per metered dimension, e.g. `{ db_queries: 3 }`; a dimension without a cost is checked but not consumed. */
  costs?: Record<string, number>;
  /** bytesIn + bytesOut of this request: counted against `bandwidth.totalGbPerDay`, compared with `maxPayloadBytes`. */
  bytes?: number;
  /** Take a concurrency slot (only when the key has `concurrency`); release it with `release(keyId, leaseId)`. */
  acquireLease?: boolean;
  /** How long an unreleased lease holds its slot (default 30 s, at most 1 h). */
  leaseTtlMs?: number;
}

export type LimitCode = 'VALID' | 'RATE_LIMITED' | 'QUOTA_EXCEEDED' | 'CONCURRENCY_LIMITED' | 'PAYLOAD_TOO_LARGE';

export type PolicyUnit = 'requests' | 'bytes' | 'concurrent-requests' | 'credits' | (string & {});

export interface LimitPolicy {
  /** `second`, `minute`, `hour`, `day`, `burst`, `concurrency`, `bytes`, `credits`, or a dimension name. */
  name: string;
  /** The effective quota (after the adaptive factor). */
  quota: number;
  /** 0 when the policy has no time window (concurrency, credits without refill). */
  windowSeconds: number;
  remaining: number;
  /** Seconds within which no more than `remaining` can be used (see docs/RATE-LIMITING.md). */
  resetSeconds: number;
  unit?: PolicyUnit;
}

export interface LimitResult {
  allowed: boolean;
  code: LimitCode;
  /** Denied by a metered dimension (its name), `bytes`, `credits` or `concurrency`. */
  dimension?: string;
  /** Denied by a time window: `second` … `month`, or `burst`. */
  window?: string;
  /** Name of the denying policy, or of the most restrictive one when allowed. */
  policy?: string;
  /** Of the denying (or most restrictive) policy; -1 when the key has no limits at all. */
  limit: number;
  remaining: number;
  resetMs: number;
  /** Absent when waiting will not help (cost above the limit, credits that never refill). */
  retryAfterMs?: number;
  leaseId?: string;
  policies: LimitPolicy[];
}

export type LimitStatus = Pick<LimitResult, 'limit' | 'remaining' | 'resetMs' | 'policy' | 'policies'>;
