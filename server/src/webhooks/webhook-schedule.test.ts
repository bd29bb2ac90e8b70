import { DEFAULT_WEBHOOK_SCHEDULE_MS, retryDelayMs, validateSchedule } from './webhook-schedule';
import { signWebhook, generateWebhookSecret, signatureHeader } from './webhook-signature';

describe('webhook retry schedule', () => {
  it('is immediately, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h', () => {
    expect(DEFAULT_WEBHOOK_SCHEDULE_MS).toEqual([0, 5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000]);
  });

  it('applies at most ±10 % jitter and stops after the last attempt', () => {
    const s = DEFAULT_WEBHOOK_SCHEDULE_MS;
    expect(retryDelayMs(s, 1, () => 0)).toBe(4_500);
    expect(retryDelayMs(s, 1, () => 1)).toBe(5_500);
    expect(retryDelayMs(s, 2, () => 0.5)).toBe(300_000);
    expect(retryDelayMs(s, 7, () => 0.5)).toBe(36_000_000);
    expect(retryDelayMs(s, 8)).toBe(-1);
  });

  it('refuses a schedule whose first attempt is not immediate', () => {
    expect(() => validateSchedule([100, 200])).toThrow(/schedule\[0\]/);
    expect(() => validateSchedule([])).toThrow();
  });
});

describe('webhook signatures', () => {
  it('match the Standard Webhooks reference vector', () => {
    const sig = signWebhook('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'msg_p5jXN8AQM9LWM0D4loKWxJek', 1614265330, '{"test": 2432232314}');
    expect(sig).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });

  it('generates whsec_ secrets of 24 random bytes', () => {
    const s = generateWebhookSecret();
    expect(s).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    expect(generateWebhookSecret()).not.toBe(s);
  });

  it('puts one space-separated signature per active secret in the header', () => {
    const a = generateWebhookSecret();
    const b = generateWebhookSecret();
    const h = signatureHeader([a, b], 'dlv_1', 1, '{}');
    expect(h.split(' ')).toEqual([signWebhook(a, 'dlv_1', 1, '{}'), signWebhook(b, 'dlv_1', 1, '{}')]);
  });
});
