import { LocalLimiter } from './local-limiter';
import { isRedisError } from './redis-errors';

function clock(start = 1_700_000_000_000) {
  const c = { t: start, now: () => c.t };
  return c;
}

describe('LocalLimiter (Redis-down fallback)', () => {
  it('divides each limit by the assumed node count over fixed windows', () => {
    const c = clock();
    const l = new LocalLimiter({ nodeCount: 2, now: c.now });
    const limits = { perMinute: 10 };
    const results = Array.from({ length: 8 }, () => l.check('key_a', limits));
    expect(results.filter((r) => r.allowed)).toHaveLength(5);
    expect(results[7]).toMatchObject({ allowed: false, code: 'RATE_LIMITED', window: 'minute', limit: 5, remaining: 0 });
    c.t += 60_000;
    expect(l.check('key_a', limits)).toMatchObject({ allowed: true, remaining: 4 });
  });

  it('denies without consuming anything and names dimensions', () => {
    const c = clock();
    const l = new LocalLimiter({ nodeCount: 1, now: c.now });
    const limits = { perMinute: 10, dimensions: [{ name: 'db_queries', limit: 4, window: 'hour' as const }] };
    expect(l.check('key_b', limits, { costs: { db_queries: 3 } }).allowed).toBe(true);
    expect(l.check('key_b', limits, { costs: { db_queries: 3 } })).toMatchObject({ allowed: false, code: 'QUOTA_EXCEEDED', dimension: 'db_queries' });
    expect(l.check('key_b', limits).policies.map((p) => p.remaining)).toEqual([8, 1]);
  });

  it('keeps concurrency leases until released or expired', () => {
    const c = clock();
    const l = new LocalLimiter({ nodeCount: 1, now: c.now });
    const limits = { concurrency: 1 };
    const a = l.check('key_c', limits, { acquireLease: true, leaseTtlMs: 1000 });
    expect(a.leaseId).toMatch(/^lse_local_/);
    expect(l.check('key_c', limits, { acquireLease: true })).toMatchObject({ allowed: false, code: 'CONCURRENCY_LIMITED', retryAfterMs: 1000 });
    expect(l.release('key_c', a.leaseId as string)).toBe(true);
    const b = l.check('key_c', limits, { acquireLease: true, leaseTtlMs: 1000 });
    expect(b.allowed).toBe(true);
    c.t += 1001;
    expect(l.check('key_c', limits, { acquireLease: true }).allowed).toBe(true);
  });

  it('refills burst tokens and refuses oversized payloads', () => {
    const c = clock();
    const l = new LocalLimiter({ nodeCount: 1, now: c.now });
    const limits = { burst: { maxBurst: 4, burstWindowSeconds: 1 }, maxPayloadBytes: 10 };
    for (let i = 0; i < 4; i++) expect(l.check('key_d', limits).allowed).toBe(true);
    expect(l.check('key_d', limits).allowed).toBe(false);
    c.t += 500;
    expect(l.check('key_d', limits).allowed).toBe(true);
    expect(l.check('key_d', limits).allowed).toBe(true);
    expect(l.check('key_d', limits).allowed).toBe(false);
    expect(l.check('key_d', limits, { bytes: 11 }).code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('holds at most maxKeys keys, evicting the least recently used', () => {
    const l = new LocalLimiter({ maxKeys: 3 });
    for (const k of ['key_1', 'key_2', 'key_3']) l.check(k, { perMinute: 2 });
    l.check('key_1', { perMinute: 2 }); // key_1 becomes the most recent
    l.check('key_4', { perMinute: 2 });
    expect(l.size).toBe(3);
    expect(l.check('key_1', { perMinute: 2 }).allowed).toBe(false); // still tracked (1 per node, used)
    expect(l.check('key_2', { perMinute: 2 }).allowed).toBe(true); // evicted, starts over
  });
});

describe('isRedisError', () => {
  it('recognises connection and reply errors but not programming errors', () => {
    const named = (name: string, message = 'x') => Object.assign(new Error(message), { name });
    expect(isRedisError(named('ReplyError', 'BUSY Redis is busy running a script'))).toBe(true);
    expect(isRedisError(named('MaxRetriesPerRequestError'))).toBe(true);
    expect(isRedisError(new Error("Stream isn't writeable and enableOfflineQueue options is false"))).toBe(true);
    expect(isRedisError(new Error('Command timed out'))).toBe(true);
    expect(isRedisError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6379'), { code: 'ECONNREFUSED' }))).toBe(true);
    expect(isRedisError(new TypeError('cannot read properties of undefined'))).toBe(false);
    expect(isRedisError('ECONNREFUSED')).toBe(false);
  });
});
