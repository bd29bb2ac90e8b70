import { Webhook } from 'standardwebhooks';
import type { LatchkeyError } from './errors';
import { verifyWebhook } from './webhooks';

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
