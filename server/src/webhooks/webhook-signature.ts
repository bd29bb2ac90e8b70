import { createHmac, randomBytes } from 'node:crypto';
import { WEBHOOK_SECRET_PREFIX } from '@latchkey/schema';
import { open, type Kek, type Sealed } from '../infra/crypto';

/**
 * Standard Webhooks v1 signing. The secret is `whsec_` + base64 of random bytes; the
 * HMAC key is those decoded bytes (not the string), which is what every Standard
 * Webhooks verifier expects.
 */
export const WEBHOOK_SECRET_BYTES = 24;

export function generateWebhookSecret(): string {
  return `${WEBHOOK_SECRET_PREFIX}${randomBytes(WEBHOOK_SECRET_BYTES).toString('base64')}`;
}

export function secretBytes(secret: string): Buffer {
  if (!secret.startsWith(WEBHOOK_SECRET_PREFIX)) throw new Error('webhook secret must start with whsec_');
  return Buffer.from(secret.slice(WEBHOOK_SECRET_PREFIX.length), 'base64');
}

/** `v1,<base64 HMAC-SHA256 of "id.timestamp.body">` */
export function signWebhook(secret: string, id: string, timestampSeconds: number, body: string): string {
  const mac = createHmac('sha256', secretBytes(secret)).update(`${id}.${timestampSeconds}.${body}`, 'utf8').digest('base64');
  return `v1,${mac}`;
}

/**
 * The `webhook-signature` header: one signature per active secret, newest first,
 * space separated. While a rotation overlaps, receivers still holding the old
 * secret keep verifying.
 */
export function signatureHeader(secrets: readonly string[], id: string, timestampSeconds: number, body: string): string {
  return secrets.map((s) => signWebhook(s, id, timestampSeconds, body)).join(' ');
}

/** Every secret a delivery is signed with now: the current one, then the previous while its overlap lasts. */
export function activeSecrets(
  endpoint: { _id: string; secret: Sealed; previousSecret?: Sealed | null; previousSecretExpiresAt?: Date | null },
  keks: readonly Kek[],
  now: Date,
): string[] {
  const out = [open(keks, endpoint._id, endpoint.secret)];
  if (endpoint.previousSecret && endpoint.previousSecretExpiresAt && endpoint.previousSecretExpiresAt > now) {
    out.push(open(keks, endpoint._id, endpoint.previousSecret));
  }
  return out;
}
