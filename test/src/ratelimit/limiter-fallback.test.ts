import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { parseRateLimit } from 'ratelimit-header-parser';
import { isRedisError, LocalLimiter, RateLimiter, rateLimitHeaders } from '@latchkey/server';
import { LuaScript } from '@latchkey/server/testing';
import { limiterFixture } from './fixture';

const fx = limiterFixture('rlf');
const limiter = fx.node();
afterAll(() => fx.close());

describe('rate-limit headers from real checks', () => {
  const limits = { perMinute: 100, perHour: 1000, bandwidth: { totalGbPerDay: 1 } };

  it('draft-7 and draft-6 fields parse with ratelimit-header-parser', async () => {
    const keyId = fx.keyId();
    await limiter.check(keyId, limits, { cost: 49, bytes: 10 });
    const r = await limiter.check(keyId, limits, { bytes: 10 });
    expect(r).toMatchObject({ policy: 'minute', limit: 100, remaining: 50 });
    for (const format of ['draft-7', 'draft-6'] as const) {
      // As a client sees them: header names are case-insensitive on a fetch Response.
      const parsed = parseRateLimit(new Headers(rateLimitHeaders(r, format)));
      expect(parsed).toMatchObject({ limit: 100, remaining: 50, used: 50 });
      const inSeconds = ((parsed?.reset?.getTime() ?? 0) - Date.now()) / 1000;
      expect(inSeconds).toBeGreaterThan(55);
      expect(inSeconds).toBeLessThanOrEqual(61);
    }
  });

  it('draft-11 fields list every policy as structured-field items', async () => {
    const keyId = fx.keyId();
    const r = await limiter.check(keyId, limits, { bytes: 1000 });
    const h = rateLimitHeaders(r);
    expect(h['RateLimit-Policy']).toBe('"minute";q=100;w=60, "hour";q=1000;w=3600, "bytes";q=1000000000;qu="content-bytes";w=86400');
    expect(h['RateLimit']).toMatch(/^"minute";r=99;t=(59|60), "hour";r=999;t=(35[4-9]\d|3600), "bytes";r=999999000;t=8\d{4}$/);
    // ratelimit-header-parser only knows drafts <= 7: the draft-11 value yields no numbers,
    // which is why rateLimitHeaders() can also emit the older formats.
    expect(parseRateLimit(new Headers(h))?.limit).toBeNaN();
  });

  it('a denial carries Retry-After in seconds', async () => {
    const keyId = fx.keyId();
    await limiter.check(keyId, { perMinute: 1 });
    const r = await limiter.check(keyId, { perMinute: 1 });
    const h = rateLimitHeaders(r);
    expect(Number(h['Retry-After'])).toBeGreaterThan(55);
    expect(Number(h['Retry-After'])).toBeLessThanOrEqual(60);
    expect(h['RateLimit']).toMatch(/^"minute";r=0;t=\d+$/);
  });
});

describe('script loading and Redis outages', () => {
  it('falls back from EVALSHA to EVAL when Redis does not know the script', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lk-lua-'));
    // The unique prefix in a comment makes a script this Redis has never seen.
    writeFileSync(join(dir, 'echo-1.lua'), `-- ${fx.prefix}\nreturn redis.call('SET', KEYS[1], ARGV[1])`);
    const script = new LuaScript('echo-1.lua', dir);
    expect(await fx.redis().script('EXISTS', script.sha)).toEqual([0]);
    expect(await script.run(fx.redis(), [`${fx.prefix}:{x}:echo`], ['hi'])).toBe('OK');
    expect(await script.run(fx.redis(), [`${fx.prefix}:{x}:echo`], ['again'])).toBe('OK');
    expect(await fx.redis().script('EXISTS', script.sha)).toEqual([1]);
  });

  it('an unreachable Redis fails fast with an error the caller routes to LocalLimiter', async () => {
    const down = new Redis('redis://127.0.0.1:1', {
      maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 200, commandTimeout: 200, retryStrategy: () => null,
    });
    down.on('error', () => undefined);
    const remote = new RateLimiter(down, fx.prefix);
    const local = new LocalLimiter({ nodeCount: 2 });
    const limits = { perMinute: 10 };
    let allowed = 0;
    try {
      for (let i = 0; i < 8; i++) {
        const r = await remote.check('key_down', limits).catch((e: unknown) => {
          expect(isRedisError(e)).toBe(true);
          return local.check('key_down', limits);
        });
        if (r.allowed) allowed++;
      }
    } finally {
      down.disconnect();
    }
    expect(allowed).toBe(5); // 10 per minute shared by an assumed 2 nodes
    expect(isRedisError(new TypeError('x is undefined'))).toBe(false);
  });
});
