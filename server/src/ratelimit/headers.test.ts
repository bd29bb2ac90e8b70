import { parseRateLimit } from 'ratelimit-header-parser';
import { formatPolicyField, formatRateLimitField, rateLimitHeaders, sfString } from './headers';
import type { LimitPolicy, LimitResult } from './limits';

const policies: LimitPolicy[] = [
  { name: 'minute', quota: 100, windowSeconds: 60, remaining: 50, resetSeconds: 30, unit: 'requests' },
  { name: 'bytes', quota: 1_000_000, windowSeconds: 86_400, remaining: 999_000, resetSeconds: 86_000, unit: 'bytes' },
  { name: 'concurrency', quota: 5, windowSeconds: 0, remaining: 4, resetSeconds: 0, unit: 'concurrent-requests' },
  { name: 'credits', quota: 1000, windowSeconds: 0, remaining: 10, resetSeconds: 0, unit: 'credits' },
  { name: 'db_queries', quota: 500, windowSeconds: 3600, remaining: 480, resetSeconds: 3000, unit: 'db_queries' },
];
const allowed: LimitResult = { allowed: true, code: 'VALID', policy: 'minute', limit: 100, remaining: 50, resetMs: 29_200, policies };

describe('rate-limit header fields', () => {
  it('RateLimit-Policy follows draft 11: quoted name, q, registered qu, w', () => {
    expect(formatPolicyField(policies)).toBe(
      '"minute";q=100;w=60, "bytes";q=1000000;qu="content-bytes";w=86400, "concurrency";q=5;qu="concurrent-requests", ' +
        '"credits";q=1000;lk-unit="credits", "db_queries";q=500;lk-unit="db_queries";w=3600',
    );
  });

  it('RateLimit follows draft 11: r always, t only for policies that have a window or a reset', () => {
    expect(formatRateLimitField(policies)).toBe(
      '"minute";r=50;t=30, "bytes";r=999000;t=86000, "concurrency";r=4, "credits";r=10, "db_queries";r=480;t=3000',
    );
    expect(rateLimitHeaders(allowed)).toEqual({ 'RateLimit-Policy': formatPolicyField(policies), RateLimit: formatRateLimitField(policies) });
  });

  it('matches the draft example exactly', () => {
    const one: LimitPolicy[] = [{ name: 'default', quota: 100, windowSeconds: 60, remaining: 50, resetSeconds: 30 }];
    expect(rateLimitHeaders({ ...allowed, policies: one })).toEqual({ 'RateLimit-Policy': '"default";q=100;w=60', RateLimit: '"default";r=50;t=30' });
  });

  it('draft 7 and draft 6 carry the most restrictive policy and parse with ratelimit-header-parser', () => {
    expect(rateLimitHeaders(allowed, 'draft-7')).toEqual({
      'RateLimit-Policy': '100;w=60, 1000000;w=86400, 500;w=3600',
      RateLimit: 'limit=100, remaining=50, reset=30',
    });
    expect(rateLimitHeaders(allowed, 'draft-6')).toMatchObject({ 'RateLimit-Limit': '100', 'RateLimit-Remaining': '50', 'RateLimit-Reset': '30' });
    for (const f of ['draft-7', 'draft-6'] as const) {
      expect(parseRateLimit(new Headers(rateLimitHeaders(allowed, f)))).toMatchObject({ limit: 100, remaining: 50, used: 50 });
    }
  });

  it('adds Retry-After (rounded up to whole seconds) to denials that can succeed later', () => {
    const denied = { ...allowed, allowed: false, remaining: 0, retryAfterMs: 1_200 };
    expect(rateLimitHeaders(denied)['Retry-After']).toBe('2');
    expect(rateLimitHeaders({ ...denied, retryAfterMs: undefined })['Retry-After']).toBeUndefined();
    expect(rateLimitHeaders(allowed)['Retry-After']).toBeUndefined();
  });

  it('emits nothing for a key without limits', () => {
    expect(rateLimitHeaders({ ...allowed, limit: -1, remaining: -1, policies: [] })).toEqual({});
  });

  it('keeps names valid sf-strings and numbers valid sf-integers', () => {
    expect(sfString('a"b\\c\u00e9')).toBe('"a\\"b\\\\c?"');
    const huge: LimitPolicy[] = [{ name: 'x', quota: 1e20, windowSeconds: 60, remaining: -3, resetSeconds: 1.5 }];
    expect(formatPolicyField(huge)).toBe('"x";q=999999999999999;w=60');
    expect(formatRateLimitField(huge)).toBe('"x";r=0;t=1');
  });
});
