/**
 * The REST contract of `POST /v1/keys/verify` (CONTRACT.md). It is not part of the
 * GraphQL schema, so its shapes are written here, once, next to the code that sends it.
 */
export type VerifyCode =
  | 'VALID'
  | 'MALFORMED'
  | 'NOT_FOUND'
  | 'REVOKED'
  | 'EXPIRED'
  | 'SUSPENDED'
  | 'NOT_YET_CLAIMED'
  | 'FORBIDDEN_IP'
  | 'FORBIDDEN_REFERRER'
  | 'FORBIDDEN_COUNTRY'
  | 'WRONG_ENVIRONMENT'
  | 'INSUFFICIENT_PERMISSIONS'
  | 'RATE_LIMITED'
  | 'QUOTA_EXCEEDED'
  | 'CONCURRENCY_LIMITED'
  | 'PAYLOAD_TOO_LARGE';

/** The SDK's own outcomes: Latchkey could not be asked (see `failMode`); no key in the request. */
export type SdkCode = 'UNAVAILABLE' | 'UNAUTHENTICATED';

export type Environment = 'development' | 'staging' | 'production';

export interface VerifyParams {
  resource?: string;
  action?: string;
  resourceId?: string;
  ip?: string;
  referrer?: string;
  environment?: Environment;
  country?: string;
  cost?: number;
  costs?: Record<string, number>;
  bytesIn?: number;
  bytesOut?: number;
  /** Hold a concurrency slot; the middleware releases it through its usage report. */
  acquireLease?: boolean;
}

export interface RateLimitSummary {
  limit: number;
  remaining: number;
  resetMs: number;
  /** second, minute, hour, day, month, burst, concurrency, bytes, credits or a dimension */
  window: string;
}

/**
 * Bandwidth limits of a key in bytes. Not yet in the server's verify answer (see
 * docs/SDK.md, "Bandwidth"): read when present, otherwise the middleware's options.
 */
export interface BandwidthLimits {
  downloadBytesPerSecond?: number;
  uploadBytesPerSecond?: number;
  /** Bytes in + out allowed per UTC day. */
  bytesPerDay?: number;
  /** What is left of today's bytes when the answer was made. */
  bytesRemainingToday?: number;
}

export interface Verification {
  valid: boolean;
  code: VerifyCode | SdkCode;
  keyId?: string;
  orgId?: string;
  ownerId?: string | null;
  type?: string;
  subtype?: string;
  environment?: Environment;
  scopes?: string[];
  expiresAt?: string | null;
  ratelimit?: RateLimitSummary;
  dimension?: string;
  reason?: string;
  leaseId?: string;
  limits?: { bandwidth?: BandwidthLimits };
  /** True when this answer came from the local cache. */
  cached?: boolean;
  /** `failMode: 'open'` let the request through although Latchkey could not be asked. */
  failedOpen?: boolean;
}

/** HTTP status a protected service answers per code (mirrors @latchkey/schema, checked by a test). */
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
