import { startTestApp, type TestApp } from '../harness/app';
import { startPrivateRedis, type PrivateRedis } from '../harness/redis-server';
import { serviceKey, verifierSetup, verifyHttp } from '../verify/verify-helpers';

// ARCHITECTURE §5 / docs/RATE-LIMITING.md: with Redis away keys still verify, limits
// fall back to a conservative in-process limiter, nothing crashes, no 5xx storm.
describe('Redis outage during verify load', () => {
  let redis: PrivateRedis;
  let app: TestApp;
  let token: string;
  let verifier: string;
  beforeAll(async () => {
    redis = await startPrivateRedis();
    app = await startTestApp({ env: { REDIS_URL: redis.url } });
    ({ token, verifier } = await verifierSetup(app));
  }, 60_000);
  afterAll(async () => {
    await app?.stop();
    await redis?.stop();
  });

  it('keeps verifying with local limits, answers no 5xx, and recovers when Redis returns', async () => {
    const k = await serviceKey(app, token, { rateLimit: { perMinute: 40 } });
    expect((await verifyHttp(app, verifier, { key: k.secret })).body.code).toBe('VALID');

    await redis.kill();
    const during: { status: number; code: string }[] = [];
    for (let i = 0; i < 60; i++) {
      const r = await verifyHttp(app, verifier, { key: k.secret });
      during.push({ status: r.status, code: r.body.code });
    }
    expect(during.filter((r) => r.status >= 500)).toHaveLength(0);
    // Conservative: this node admits at most limit / RATE_LIMIT_FALLBACK_NODES (2).
    const admitted = during.filter((r) => r.code === 'VALID').length;
    expect(admitted).toBeGreaterThan(0);
    expect(admitted).toBeLessThanOrEqual(20);
    expect(during.filter((r) => r.code !== 'VALID' && r.code !== 'RATE_LIMITED')).toHaveLength(0);

    await redis.restart();
    const started = Date.now();
    let ready = false;
    while (!ready && Date.now() - started < 15_000) {
      ready = (await fetch(`${app.url}/readyz`)).status === 200;
      if (!ready) await new Promise((r) => setTimeout(r, 100));
    }
    expect(ready).toBe(true);
    // Back on Redis: the fresh server has no counters, so the key verifies again.
    expect((await verifyHttp(app, verifier, { key: k.secret })).body.code).toBe('VALID');
    expect(app.server.services.verify.fallbacks).toBeGreaterThan(0);
  }, 60_000);
});
