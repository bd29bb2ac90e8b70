// Copied from schema/src/verify-wire.ts by sdk/scripts/copy-wire.mjs. Do not edit.
/**
 * The REST contract of `POST /v1/keys/verify` (CONTRACT.md): what a caller sends and what it
 * gets back. Written once, here. The server uses it through `@latchkey/schema`; the SDK, which
 * ships without our packages, gets a copy of this file at build (sdk/scripts/copy-wire.mjs),
 * so it imports nothing and stays self-contained.
 */

export const Environment = { development: 'development', staging: 'staging', production: 'production' } as const;
export type Environment = (typeof Environment)[keyof typeof Environment];

export const VerifyCode = {
  VALID: 'VALID',
  MALFORMED: 'MALFORMED',
  NOT_FOUND: 'NOT_FOUND',
  REVOKED: 'REVOKED',
  EXPIRED: 'EXPIRED',
  SUSPENDED: 'SUSPENDED',
  NOT_YET_CLAIMED: 'NOT_YET_CLAIMED',
  FORBIDDEN_IP: 'FORBIDDEN_IP',
  FORBIDDEN_REFERRER: 'FORBIDDEN_REFERRER',
  FORBIDDEN_COUNTRY: 'FORBIDDEN_COUNTRY',
  WRONG_ENVIRONMENT: 'WRONG_ENVIRONMENT',
  INSUFFICIENT_PERMISSIONS: 'INSUFFICIENT_PERMISSIONS',
  RATE_LIMITED: 'RATE_LIMITED',
  QUOTA_EXCEEDED: 'QUOTA_EXCEEDED',
  CONCURRENCY_LIMITED: 'CONCURRENCY_LIMITED',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
} as const;
export type VerifyCode = (typeof VerifyCode)[keyof typeof VerifyCode];

/** HTTP status a guarded request gets for each verification code. */
export const VERIFY_CODE_HTTP_STATUS: Record<VerifyCode, number> = {
  VALID: 200,
  MALFORMED: 401,
  NOT_FOUND: 401,
  REVOKED: 401,
  EXPIRED: 401,
  SUSPENDED: 403,
  NOT_YET_CLAIMED: 403,
  FORBIDDEN_IP: 403,
  FORBIDDEN_REFERRER: 403,
  FORBIDDEN_COUNTRY: 403,
  WRONG_ENVIRONMENT: 403,
  INSUFFICIENT_PERMISSIONS: 403,
  RATE_LIMITED: 429,
  QUOTA_EXCEEDED: 429,
  CONCURRENCY_LIMITED: 429,
  PAYLOAD_TOO_LARGE: 413,
};

/** What a caller asks about a key besides the key itself; every field is optional. */
export interface VerifyParams {
  resource?: string;
  action?: string;
  resourceId?: string;
  ip?: string;
  referrer?: string;
  environment?: Environment;
  /** ISO country of the end client when the caller already knows it (else GeoIP of `ip`). */
  country?: string;
  cost?: number;
  costs?: Record<string, number>;
  bytesIn?: number;
  bytesOut?: number;
  /** Hold a concurrency slot until released through POST /v1/usage (or the lease expires). */
  acquireLease?: boolean;
}

/** The request body: only `key` is required. */
export interface VerifyRequest extends VerifyParams {
  key: string;
}

export interface RateLimitSummary {
  limit: number;
  remaining: number;
  resetMs: number;
  /** second, minute, hour, day, month, burst, concurrency, bytes, credits or a dimension */
  window: string;
}

/** Byte rates and daily quota a protected service enforces on streamed bodies (SDK middleware). */
export interface BandwidthAnswer {
  downloadBytesPerSecond?: number;
  uploadBytesPerSecond?: number;
  /** Bytes in + out allowed per UTC day. */
  bytesPerDay?: number;
  /** What is left of today's bytes when the answer was made. */
  bytesRemainingToday?: number;
}

/** The response body (HTTP 200 for every well-formed request). */
export interface VerifyAnswer {
  valid: boolean;
  code: VerifyCode;
  keyId?: string;
  orgId?: string;
  ownerId?: string | null;
  /** application, user or system */
  type?: string;
  subtype?: string;
  environment?: Environment;
  scopes?: readonly string[];
  expiresAt?: string | null;
  ratelimit?: RateLimitSummary;
  /** The metered dimension that ran out (QUOTA_EXCEEDED). */
  dimension?: string;
  reason?: string;
  leaseId?: string;
  /** VALID answers for keys with bandwidth limits. */
  bandwidth?: BandwidthAnswer;
}
