export * from './limits';
export type { DimensionLimit, KeyLimits, WindowName } from '../keys/key-limits';
export { RateLimiter, type RateLimiterOptions } from './ratelimit.service';
export { LocalLimiter, type LocalLimiterOptions } from './local-limiter';
export { isRedisError } from './redis-errors';
export { rateLimitHeaders, formatPolicyField, formatRateLimitField, type RateLimitHeaderFormat, type HeaderSource } from './headers';
export { compileLimits, WINDOWS, GB, DEFAULT_LEASE_TTL_MS, MAX_LEASE_TTL_MS } from './key-limits';
