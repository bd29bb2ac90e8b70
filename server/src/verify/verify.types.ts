import type { Environment, KeySubtype, KeyType, KeyStatus, VerifyCode } from '@latchkey/schema';
import type { KeyLimits, LimitPolicy } from '../ratelimit/ratelimit.types';
import type { RestrictionModeName } from '../keys/key.model';
import type { CompiledRestrictions } from './restrictions';

/** What a caller asks: only `key` is required (CONTRACT.md, POST /v1/keys/verify). */
export interface VerifyRequest {
  key: string;
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

export interface RateLimitSummary {
  limit: number;
  remaining: number;
  resetMs: number;
  window: string;
}

/** Byte rates and quota a protected service enforces on streamed bodies (SDK middleware). */
export interface BandwidthAnswer {
  downloadBytesPerSecond?: number;
  uploadBytesPerSecond?: number;
  bytesPerDay?: number;
  bytesRemainingToday?: number;
}

export interface VerifyResult {
  valid: boolean;
  code: VerifyCode;
  keyId?: string;
  orgId?: string;
  ownerId?: string | null;
  type?: KeyType;
  subtype?: KeySubtype;
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
  /** For RateLimit-Policy / RateLimit / Retry-After headers; not part of the JSON body. */
  policies?: LimitPolicy[];
  retryAfterMs?: number;
}


/** A key as the hot path needs it: compiled once per cache load. */
export interface VerifiableKey {
  keyId: string;
  orgId: string;
  ownerId: string | null;
  applicationId: string | null;
  type: KeyType;
  subtype: KeySubtype;
  environment: Environment;
  status: KeyStatus;
  expiresAt: number | null;
  graceEndsAt: number | null;
  /** Roles expanded plus direct scopes. */
  scopes: readonly string[];
  restrictions: CompiledRestrictions;
  modes: { ip: RestrictionModeName; referrer: RestrictionModeName; country: RestrictionModeName };
  environmentBinding: boolean;
  hasIpRule: boolean;
  hasReferrerRule: boolean;
  hasCountryRule: boolean;
  limits: KeyLimits;
  /** Metered dimensions the organization knows (a cost naming another is refused). */
  knownDimensions: ReadonlySet<string>;
  /** Byte rates from `limits.bandwidth` (Mbps → bytes/s), computed once per cache load. */
  bandwidth: BandwidthAnswer | null;
  expiresAtIso: string | null;
}
