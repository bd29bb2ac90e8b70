import type { RateLimitSummary, Verification } from '../verification';

// Window names the server uses for time windows, in seconds.
const WINDOW_SECONDS: Record<string, number> = { second: 1, minute: 60, hour: 3_600, day: 86_400, month: 2_592_000 };

/**
 * Rate-limit header fields a protected service sends, built from the verify answer's
 * `ratelimit` summary (the most restrictive of the key's limits; the answer carries
 * no per-policy list). Same syntax as the server's draft-11 output
 * (server/src/ratelimit/headers.ts), one item for that limit:
 *   RateLimit-Policy: "minute";q=100;w=60
 *   RateLimit: "minute";r=42;t=17
 * plus `Retry-After` (seconds, rounded up) on 429 answers.
 */
export function rateLimitHeaders(v: Pick<Verification, 'ratelimit' | 'code' | 'valid'>): Record<string, string> {
  const h: Record<string, string> = {};
  const rl: RateLimitSummary | undefined = v.ratelimit;
  if (rl && rl.limit >= 0) {
    const name = sfString(rl.window || 'limit');
    const w = WINDOW_SECONDS[rl.window];
    let policy = `${name};q=${int(rl.limit)}`;
    if (rl.window === 'bytes') policy += ';qu="content-bytes"';
    if (rl.window === 'concurrency') policy += ';qu="concurrent-requests"';
    if (w) policy += `;w=${w}`;
    h['RateLimit-Policy'] = policy;
    h['RateLimit'] = `${name};r=${int(rl.remaining)};t=${seconds(rl.resetMs)}`;
  }
  if (!v.valid && (v.code === 'RATE_LIMITED' || v.code === 'QUOTA_EXCEEDED' || v.code === 'CONCURRENCY_LIMITED')) {
    h['Retry-After'] = String(Math.max(1, seconds(rl?.resetMs ?? 1_000)));
  }
  return h;
}

function sfString(s: string): string {
  return `"${s.replace(/[^\x20-\x7e]/g, '?').replace(/(["\\])/g, '\\$1')}"`;
}

function int(n: number): number {
  return Number.isFinite(n) && n > 0 ? Math.floor(n) : 0;
}

function seconds(ms: number): number {
  return int(Math.ceil(ms / 1000));
}
