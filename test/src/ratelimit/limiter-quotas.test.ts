import { limiterFixture, sleep } from './fixture';

const fx = limiterFixture('rlq');
const limiter = fx.node();
afterAll(() => fx.close());

describe('burst, concurrency and quotas', () => {
  it('burst is a token bucket: drains, then refills in proportion to the time waited', async () => {
    const keyId = fx.keyId();
    const limits = { burst: { maxBurst: 5, burstWindowSeconds: 1 } }; // 5 tokens per second
    for (let i = 0; i < 5; i++) expect((await limiter.check(keyId, limits)).allowed).toBe(true);
    const denied = await limiter.check(keyId, limits);
    expect(denied).toMatchObject({ allowed: false, code: 'RATE_LIMITED', window: 'burst' });
    expect(denied.retryAfterMs).toBeGreaterThan(0);
    expect(denied.retryAfterMs).toBeLessThanOrEqual(200);
    await sleep(450); // ~2.25 tokens back, not 5
    expect((await limiter.check(keyId, limits)).allowed).toBe(true);
    expect((await limiter.check(keyId, limits)).allowed).toBe(true);
    expect((await limiter.check(keyId, limits)).allowed).toBe(false);
  });

  it('concurrency leases: acquire up to the limit, release frees a slot, unreleased leases expire', async () => {
    const keyId = fx.keyId();
    const limits = { concurrency: 2 };
    const req = { acquireLease: true, leaseTtlMs: 400 };
    const a = await limiter.check(keyId, limits, req);
    const b = await limiter.check(keyId, limits, req);
    expect(a.leaseId).toMatch(/^lse_/);
    expect(b.leaseId).not.toBe(a.leaseId);
    const c = await limiter.check(keyId, limits, req);
    expect(c).toMatchObject({ allowed: false, code: 'CONCURRENCY_LIMITED', dimension: 'concurrency' });
    expect(c.retryAfterMs).toBeLessThanOrEqual(400);
    expect(await limiter.release(keyId, a.leaseId as string)).toBe(true);
    expect(await limiter.release(keyId, a.leaseId as string)).toBe(false);
    const d = await limiter.check(keyId, limits, req);
    expect(d.allowed).toBe(true);
    expect((await limiter.check(keyId, limits, req)).allowed).toBe(false);
    await sleep(450); // b and d were never released
    expect((await limiter.status(keyId, limits)).remaining).toBe(2);
    expect((await limiter.check(keyId, limits, req)).allowed).toBe(true);
    expect((await limiter.check(keyId, limits, { ...req, acquireLease: false })).leaseId).toBeUndefined();
  });

  it('bytes per day count against totalGbPerDay; oversized payloads are refused before Redis', async () => {
    const keyId = fx.keyId();
    const limits = { bandwidth: { totalGbPerDay: 0.000001 }, maxPayloadBytes: 800 }; // 1,000 bytes a day
    expect((await limiter.check(keyId, limits, { bytes: 600 })).allowed).toBe(true);
    const over = await limiter.check(keyId, limits, { bytes: 600 });
    expect(over).toMatchObject({ allowed: false, code: 'QUOTA_EXCEEDED', dimension: 'bytes', window: 'day', limit: 1000, remaining: 400 });
    expect(over.retryAfterMs).toBeGreaterThan(23 * 3600_000);
    expect((await limiter.check(keyId, limits, { bytes: 400 })).allowed).toBe(true);
    expect(await limiter.check(keyId, limits, { bytes: 900 })).toMatchObject({ allowed: false, code: 'PAYLOAD_TOO_LARGE' });
    const bytes = (await limiter.status(keyId, limits)).policies.find((p) => p.name === 'bytes');
    expect(bytes).toMatchObject({ quota: 1000, remaining: 0, unit: 'bytes', windowSeconds: 86_400 });
  });

  it('credits decrement by cost and refill lazily by whole periods', async () => {
    const keyId = fx.keyId();
    const limits = { credits: { amount: 5, refill: { amount: 2, everySeconds: 1 } } };
    expect(await limiter.check(keyId, limits, { cost: 4 })).toMatchObject({ allowed: true, remaining: 1 });
    const denied = await limiter.check(keyId, limits, { cost: 2 });
    expect(denied).toMatchObject({ allowed: false, code: 'QUOTA_EXCEEDED', dimension: 'credits', remaining: 1 });
    expect(denied.retryAfterMs).toBeLessThanOrEqual(1000);
    await sleep(1100);
    expect(await limiter.check(keyId, limits, { cost: 3 })).toMatchObject({ allowed: true, remaining: 0 });
    // A cost above the balance cap can never succeed: no Retry-After.
    const never = await limiter.check(keyId, limits, { cost: 6 });
    expect(never.allowed).toBe(false);
    expect(never.retryAfterMs).toBeUndefined();
  });

  it('credits without refill never expire from Redis', async () => {
    const keyId = fx.keyId();
    await limiter.check(keyId, { credits: { amount: 3 } });
    expect(await fx.redis().pttl(`${fx.prefix}:{${keyId}}:rl`)).toBe(-1);
    expect(await limiter.check(keyId, { perMinute: 10 })).toMatchObject({ allowed: true });
    expect(await fx.redis().pttl(`${fx.prefix}:{${keyId}}:rl`)).toBeGreaterThan(60_000);
  });

  it('metered dimensions consume their own cost and a denial names the dimension', async () => {
    const keyId = fx.keyId();
    const limits = {
      perMinute: 100,
      dimensions: [
        { name: 'db_queries', limit: 10, window: 'minute' as const },
        { name: 'cpu_ms', limit: 1000, window: 'month' as const },
      ],
    };
    expect((await limiter.check(keyId, limits, { costs: { db_queries: 4, cpu_ms: 100 } })).allowed).toBe(true);
    expect((await limiter.check(keyId, limits, { costs: { db_queries: 4 } })).allowed).toBe(true);
    const denied = await limiter.check(keyId, limits, { costs: { db_queries: 4, cpu_ms: 10 } });
    expect(denied).toMatchObject({ allowed: false, code: 'QUOTA_EXCEEDED', dimension: 'db_queries', window: 'minute', limit: 10, remaining: 2 });
    expect((await limiter.check(keyId, limits, { costs: { db_queries: 2 } })).allowed).toBe(true);
    expect((await limiter.check(keyId, limits)).allowed).toBe(true); // no cost for a dimension: not consumed
    const status = await limiter.status(keyId, limits);
    expect(status.policies.map((p) => [p.name, p.remaining, p.unit])).toEqual([
      ['minute', 96, 'requests'],
      ['db_queries', 0, 'db_queries'],
      ['cpu_ms', 900, 'cpu_ms'],
    ]);
  });

  it('every Redis key of one API key shares its hash tag', async () => {
    const keyId = fx.keyId();
    await limiter.check(keyId, { perMinute: 5, concurrency: 1, credits: { amount: 2 } }, { acquireLease: true });
    await limiter.setAdaptiveFactor(keyId, 0.5, 10);
    const keys = await fx.redis().keys(`${fx.prefix}:*${keyId}*`);
    expect(keys.length).toBe(4);
    for (const k of keys) expect(k.startsWith(`${fx.prefix}:{${keyId}}:`)).toBe(true);
  });
});
