import { createHmac, timingSafeEqual } from 'node:crypto';
import { LatchkeyError } from './errors';

export type HeaderBag = Headers | Record<string, string | string[] | undefined>;

export interface VerifyWebhookOptions {
  /** Accepted clock difference in seconds (default 300, the Standard Webhooks default). */
  toleranceSeconds?: number;
  /** For tests: the current time in epoch seconds. */
  nowSeconds?: number;
}

/** What a Latchkey webhook body carries (CONTRACT.md, Webhooks). */
export interface WebhookEvent<D = Record<string, unknown>> {
  type: string;
  timestamp: string;
  data: D;
}

const SECRET_PREFIX = 'whsec_';

/**
 * Checks a Standard Webhooks v1 delivery and returns its parsed body. `secret` is the
 * endpoint's `whsec_…` secret (or several, while you roll one over); the header may
 * carry several space-separated signatures (Latchkey signs with the old and new secret
 * during a rotation) and any one valid `v1` signature is enough. Signatures are
 * compared in constant time, and the timestamp must be within the tolerance so a
 * captured delivery cannot be replayed later. Pass the raw body exactly as received.
 */
export function verifyWebhook<D = Record<string, unknown>>(
  headers: HeaderBag,
  body: string | Uint8Array,
  secret: string | readonly string[],
  opts: VerifyWebhookOptions = {},
): WebhookEvent<D> {
  const id = header(headers, 'webhook-id');
  const ts = header(headers, 'webhook-timestamp');
  const sigs = header(headers, 'webhook-signature');
  if (!id || !ts || !sigs) throw new LatchkeyError('WEBHOOK_MISSING_HEADERS', 'missing webhook-id, webhook-timestamp or webhook-signature header');
  if (!/^\d{1,15}$/.test(ts)) throw new LatchkeyError('WEBHOOK_BAD_TIMESTAMP', 'webhook-timestamp is not a number of seconds');
  const now = opts.nowSeconds ?? Math.floor(Date.now() / 1000);
  const tolerance = opts.toleranceSeconds ?? 300;
  const at = Number(ts);
  if (at < now - tolerance) throw new LatchkeyError('WEBHOOK_TOO_OLD', `webhook timestamp is more than ${tolerance} s old`);
  if (at > now + tolerance) throw new LatchkeyError('WEBHOOK_TOO_NEW', `webhook timestamp is more than ${tolerance} s in the future`);

  const payload = typeof body === 'string' ? Buffer.from(body, 'utf8') : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  const signed = Buffer.concat([Buffer.from(`${id}.${ts}.`, 'utf8'), payload]);
  const expected = (Array.isArray(secret) ? secret : [secret as string]).map((s) => createHmac('sha256', secretBytes(s)).update(signed).digest());
  const ok = sigs.split(' ').some((entry) => {
    const [version, value] = entry.split(',', 2);
    if (version !== 'v1' || !value) return false;
    const given = Buffer.from(value, 'base64');
    // Every candidate is compared (no early exit on the first mismatch) in constant time.
    return expected.map((e) => given.length === e.length && timingSafeEqual(given, e)).includes(true);
  });
  if (!ok) throw new LatchkeyError('WEBHOOK_BAD_SIGNATURE', 'no webhook-signature matches the secret');
  try {
    return JSON.parse(payload.toString('utf8')) as WebhookEvent<D>;
  } catch {
    throw new LatchkeyError('WEBHOOK_BAD_BODY', 'webhook body is not JSON');
  }
}

function secretBytes(secret: string): Buffer {
  if (secret.startsWith(SECRET_PREFIX)) return Buffer.from(secret.slice(SECRET_PREFIX.length), 'base64');
  // Standard Webhooks libraries also accept the bare base64 part.
  return Buffer.from(secret, 'base64');
}

function header(h: HeaderBag, name: string): string | undefined {
  if (typeof (h as Headers).get === 'function') return (h as Headers).get(name) ?? undefined;
  const rec = h as Record<string, string | string[] | undefined>;
  const key = Object.keys(rec).find((k) => k.toLowerCase() === name);
  const v = key === undefined ? undefined : rec[key];
  return Array.isArray(v) ? v[0] : v;
}
