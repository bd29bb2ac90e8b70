import { limiterFixture, sleep } from './fixture';

const fx = limiterFixture('rlw');
const limiter = fx.node();
afterAll(() => fx.close());

describe('sliding request windows', () => {
  it('1,000 concurrent requests against a limit of 100 per minute admit exactly 100', async () => {
    const keyId = fx.keyId();
    const limits = { perMinute: 100 };
    const results = await Promise.all(Array.from({ length: 1000 }, () => limiter.check(keyId, limits, {})));
    expect(results.filter((r) => r.allowed)).toHaveLength(100);
    const denied = results.filter((r) => !r.allowed);
    expect(denied).toHaveLength(900);
    expect(denied.every((r) => r.code === 'RATE_LIMITED' && r.window === 'minute' && r.remaining === 0)).toBe(true);
    expect(denied[0].retryAfterMs).toBeGreaterThan(58_000);
    expect(denied[0].retryAfterMs).toBeLessThanOrEqual(60_000);
  });

  it('two limiter nodes on separate connections share one limit exactly', async () => {
    const other = fx.node();
    const keyId = fx.keyId();
    const limits = { perMinute: 50 };
    const results = await Promise.all(
      Array.from({ length: 300 }, (_, i) => (i % 2 ? limiter : other).check(keyId, limits)),
    );
    expect(results.filter((r) => r.allowed)).toHaveLength(50);
  });

  it('a per-second window rolls over once a second has passed', async () => {
    const keyId = fx.keyId();
    const limits = { perSecond: 5 };
    for (let i = 0; i < 5; i++) expect((await limiter.check(keyId, limits)).allowed).toBe(true);
    const denied = await limiter.check(keyId, limits);
    expect(denied).toMatchObject({ allowed: false, code: 'RATE_LIMITED', window: 'second', limit: 5 });
    expect(denied.retryAfterMs).toBeLessThanOrEqual(1000);
    await sleep(1100);
    for (let i = 0; i < 5; i++) expect((await limiter.check(keyId, limits)).allowed).toBe(true);
    expect((await limiter.check(keyId, limits)).allowed).toBe(false);
  });

  it('reports remaining and reset of the most restrictive window', async () => {
    const keyId = fx.keyId();
    const limits = { perSecond: 100, perMinute: 10, perHour: 1000 };
    const r = await limiter.check(keyId, limits, { cost: 3 });
    expect(r).toMatchObject({ allowed: true, code: 'VALID', policy: 'minute', limit: 10, remaining: 7 });
    expect(r.resetMs).toBeGreaterThan(58_000);
    expect(r.policies.map((p) => [p.name, p.quota, p.remaining, p.windowSeconds])).toEqual([
      ['second', 100, 97, 1],
      ['minute', 10, 7, 60],
      ['hour', 1000, 997, 3600],
    ]);
  });

  it('a request denied by one window consumes nothing from any other limit', async () => {
    const keyId = fx.keyId();
    const limits = {
      perMinute: 10,
      perDay: 3,
      burst: { maxBurst: 10, burstWindowSeconds: 3600 },
      credits: { amount: 100 },
      concurrency: 5,
      bandwidth: { totalGbPerDay: 1 },
      dimensions: [{ name: 'db_queries', limit: 100, window: 'hour' as const }],
    };
    const req = { costs: { db_queries: 2 }, bytes: 10, acquireLease: true };
    for (let i = 0; i < 3; i++) expect((await limiter.check(keyId, limits, req)).allowed).toBe(true);
    const before = await limiter.status(keyId, limits);
    for (let i = 0; i < 10; i++) {
      const r = await limiter.check(keyId, limits, req);
      expect(r).toMatchObject({ allowed: false, code: 'RATE_LIMITED', window: 'day' });
      expect(r.leaseId).toBeUndefined();
    }
    const after = await limiter.status(keyId, limits);
    expect(after.policies).toEqual(before.policies.map((p) => ({ ...p, resetSeconds: expect.any(Number) })));
    const left = Object.fromEntries(after.policies.map((p) => [p.name, p.remaining]));
    expect(left).toEqual({ minute: 7, day: 0, bytes: 1e9 - 30, db_queries: 94, burst: 7, credits: 97, concurrency: 2 });
  });

  it('status reads without consuming', async () => {
    const keyId = fx.keyId();
    const limits = { perMinute: 5 };
    await limiter.check(keyId, limits);
    for (let i = 0; i < 3; i++) expect((await limiter.status(keyId, limits)).remaining).toBe(4);
  });

  it('an adaptive factor scales the limits down until it expires or is cleared', async () => {
    const keyId = fx.keyId();
    const limits = { perMinute: 100 };
    await limiter.setAdaptiveFactor(keyId, 0.25, 60);
    const results = await Promise.all(Array.from({ length: 60 }, () => limiter.check(keyId, limits)));
    expect(results.filter((r) => r.allowed)).toHaveLength(25);
    expect(results[0].policies[0].quota).toBe(25);
    await limiter.setAdaptiveFactor(keyId, 1, 60);
    const r = await limiter.check(keyId, limits);
    expect(r).toMatchObject({ allowed: true, limit: 100, remaining: 74 });
  });

  it('counts outcomes per key and minute for analytics', async () => {
    const keyId = fx.keyId();
    const limits = { perMinute: 2 };
    for (let i = 0; i < 5; i++) await limiter.check(keyId, limits);
    const minute = Math.floor(Date.now() / 60_000);
    const usage = { ...(await fx.redis().hgetall(limiter.usageKey(keyId, minute - 1))), ...(await fx.redis().hgetall(limiter.usageKey(keyId, minute))) };
    expect(usage).toEqual({ VALID: '2', RATE_LIMITED: '3' });
  });
});
