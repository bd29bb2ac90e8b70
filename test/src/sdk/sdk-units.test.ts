import { Webhook } from 'standardwebhooks';
import { VERIFY_CODE_HTTP_STATUS as SCHEMA_STATUS } from '@latchkey/schema';
import { TokenBucket, UsageReporter, VERIFY_CODE_HTTP_STATUS, VerifyCache, rateLimitHeaders, verifyWebhook, type LatchkeyError } from '@latchkey/sdk';

const SECRET = `whsec_${Buffer.from('a-test-secret-of-24-bytes').toString('base64')}`;
const OTHER = `whsec_${Buffer.from('another-secret-of-24-byte').toString('base64')}`;

function signed(secret: string, body: string, at = new Date()): Record<string, string> {
  const id = `msg_${Math.random().toString(36).slice(2)}`;
  const signature = new Webhook(secret).sign(id, at, body);
  return { 'webhook-id': id, 'webhook-timestamp': String(Math.floor(at.getTime() / 1000)), 'webhook-signature': signature };
}

const code = (f: () => unknown): string | undefined => {
  try {
    f();
    return undefined;
  } catch (e) {
    return (e as LatchkeyError).code;
  }
};

describe('verifyWebhook is compatible with Standard Webhooks', () => {
  const body = JSON.stringify({ type: 'key.revoked', timestamp: new Date().toISOString(), data: { keyId: 'key_1' } });

  it('accepts what the standardwebhooks package signs, and that package accepts the same', () => {
    const h = signed(SECRET, body);
    expect(verifyWebhook(h, body, SECRET)).toMatchObject({ type: 'key.revoked', data: { keyId: 'key_1' } });
    expect(new Webhook(SECRET).verify(body, h)).toMatchObject({ type: 'key.revoked' });
    expect(verifyWebhook(new Headers(h), Buffer.from(body), SECRET).type).toBe('key.revoked');
  });

  it('any one of several signatures is enough (secret rotation), with either secret', () => {
    const a = signed(SECRET, body);
    const b = new Webhook(OTHER).sign(a['webhook-id'] as string, new Date(Number(a['webhook-timestamp']) * 1000), body);
    const both = { ...a, 'webhook-signature': `${b} ${a['webhook-signature']}` };
    expect(verifyWebhook(both, body, SECRET).type).toBe('key.revoked');
    expect(verifyWebhook(both, body, OTHER).type).toBe('key.revoked');
    expect(verifyWebhook(a, body, [OTHER, SECRET]).type).toBe('key.revoked');
  });

  it('refuses a wrong secret, a tampered body, stale or future timestamps and missing headers', () => {
    const h = signed(SECRET, body);
    expect(code(() => verifyWebhook(h, body, OTHER))).toBe('WEBHOOK_BAD_SIGNATURE');
    expect(code(() => verifyWebhook(h, body.replace('key_1', 'key_2'), SECRET))).toBe('WEBHOOK_BAD_SIGNATURE');
    expect(code(() => verifyWebhook(signed(SECRET, body, new Date(Date.now() - 6 * 60_000)), body, SECRET))).toBe('WEBHOOK_TOO_OLD');
    expect(code(() => verifyWebhook(signed(SECRET, body, new Date(Date.now() + 6 * 60_000)), body, SECRET))).toBe('WEBHOOK_TOO_NEW');
    expect(verifyWebhook(signed(SECRET, body, new Date(Date.now() - 4 * 60_000)), body, SECRET).type).toBe('key.revoked');
    expect(code(() => verifyWebhook({ 'webhook-id': 'x' }, body, SECRET))).toBe('WEBHOOK_MISSING_HEADERS');
    expect(code(() => verifyWebhook({ ...h, 'webhook-signature': 'v2,abc' }, body, SECRET))).toBe('WEBHOOK_BAD_SIGNATURE');
  });
});

describe('SDK building blocks', () => {
  it('answers the same HTTP status per verification code as the server', () => {
    expect(VERIFY_CODE_HTTP_STATUS).toEqual(SCHEMA_STATUS);
  });

  it('builds draft-11 RateLimit fields and Retry-After from a verify answer', () => {
    expect(rateLimitHeaders({ valid: true, code: 'VALID', ratelimit: { limit: 100, remaining: 42, resetMs: 16_200, window: 'minute' } })).toEqual({
      'RateLimit-Policy': '"minute";q=100;w=60',
      RateLimit: '"minute";r=42;t=17',
    });
    expect(rateLimitHeaders({ valid: false, code: 'RATE_LIMITED', ratelimit: { limit: 5, remaining: 0, resetMs: 2_500, window: 'second' } })['Retry-After']).toBe('3');
    expect(rateLimitHeaders({ valid: true, code: 'VALID' })).toEqual({});
  });

  it('a token bucket paces bytes at its rate after a small burst', () => {
    let now = 0;
    const b = new TokenBucket(1_000, 100, () => now);
    expect(b.reserve(100)).toBe(0);
    expect(b.reserve(100)).toBeCloseTo(0, 5);
    expect(b.reserve(100)).toBeCloseTo(100, 5);
    now = 10_000;
    expect(b.reserve(50)).toBe(0);
  });

  it('the verify cache is a bounded LRU that forgets a key on demand', () => {
    let now = 0;
    const c = new VerifyCache(1_000, 2, () => now);
    c.set('a', { valid: true, code: 'VALID', keyId: 'key_a' });
    c.set('b', { valid: true, code: 'VALID', keyId: 'key_b' });
    expect(c.get('a')).toBeDefined();
    c.set('c', { valid: true, code: 'VALID', keyId: 'key_b' });
    expect(c.get('b')).toBeUndefined();
    expect(c.invalidateKey('key_b')).toBe(1);
    expect(c.size).toBe(1);
    now = 2_000;
    expect(c.get('a')).toBeUndefined();
  });

  it('the usage queue is bounded: overflow is dropped and counted', async () => {
    const r = new UsageReporter({ baseUrl: 'http://127.0.0.1:1', apiKey: 'lk', timeoutMs: 300, retries: 0 }, { maxQueue: 3, batchSize: 1_000, flushIntervalMs: 60_000 });
    for (let i = 0; i < 5; i++) r.report({ keyId: 'key_x', at: Date.now(), status: 200, latencyMs: 1 });
    expect(r.stats).toMatchObject({ queued: 3, dropped: 2 });
    await r.flush();
    // Unreachable: the batch went back to the queue to be sent later.
    expect(r.stats).toMatchObject({ queued: 3, failedBatches: 1 });
    await r.close();
  });
});
