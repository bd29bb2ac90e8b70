/**
 * The limits an API key (or a key request) is configured with. `KeyLimits` mirrors the zod
 * schema in key-config.ts field for field; keep the names identical. The limiter
 * (ratelimit/) enforces them.
 */

export type WindowName = 'second' | 'minute' | 'hour' | 'day' | 'month';

export interface DimensionLimit {
  /** e.g. `db_queries`, `cpu_ms`; the request names its cost with the same key in `costs`. */
  name: string;
  limit: number;
  window: WindowName;
}

export interface KeyLimits {
  perSecond?: number;
  perMinute?: number;
  perHour?: number;
  perDay?: number;
  /** Token bucket: `maxBurst` tokens, refilled continuously over `burstWindowSeconds`. */
  burst?: { maxBurst: number; burstWindowSeconds: number };
  /** Concurrent requests holding a lease (only requests that ask for a lease count). */
  concurrency?: number;
  /** Checked in process before any Redis call. */
  maxPayloadBytes?: number;
  /** Only `totalGbPerDay` (10^9 bytes, sliding day) is enforced by the limiter. */
  bandwidth?: { uploadMbps?: number; downloadMbps?: number; totalGbPerDay?: number };
  /** A balance that each request's `cost` decrements; `refill` adds `amount` every `everySeconds`, capped at `amount` of the parent. */
  credits?: { amount: number; refill?: { amount: number; everySeconds: number } };
  dimensions?: DimensionLimit[];
}
