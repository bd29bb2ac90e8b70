import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import type { Config } from './config';

/**
 * Envelope encryption (AES-256-GCM) for recoverable key material and webhook secrets:
 * a fresh data key per record, wrapped by the configured key-encryption key (KEK),
 * with the record id bound as additional authenticated data so a ciphertext cannot be
 * moved to another record. Rewrapping under a new KEK touches only `wrappedKey`.
 */
export interface Sealed {
  /** KEK id the data key is wrapped with. */
  kekId: string;
  /** base64(iv | tag | wrapped data key) */
  wrappedKey: string;
  /** base64(iv | tag | ciphertext) */
  ciphertext: string;
}

export interface Kek {
  id: string;
  key: Buffer;
}

export function kekFromConfig(config: Config): Kek {
  return { id: config.LATCHKEY_KEK_ID, key: Buffer.from(config.LATCHKEY_KEK, 'base64') };
}

function gcmEncrypt(key: Buffer, plaintext: Buffer, aad: string): string {
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', key, iv);
  c.setAAD(Buffer.from(aad, 'utf8'));
  const ct = Buffer.concat([c.update(plaintext), c.final()]);
  return Buffer.concat([iv, c.getAuthTag(), ct]).toString('base64');
}

function gcmDecrypt(key: Buffer, sealed: string, aad: string): Buffer {
  const buf = Buffer.from(sealed, 'base64');
  if (buf.length < 28) throw new Error('sealed value too short');
  const d = createDecipheriv('aes-256-gcm', key, buf.subarray(0, 12));
  d.setAAD(Buffer.from(aad, 'utf8'));
  d.setAuthTag(buf.subarray(12, 28));
  return Buffer.concat([d.update(buf.subarray(28)), d.final()]);
}

export function seal(kek: Kek, recordId: string, plaintext: string): Sealed {
  const dataKey = randomBytes(32);
  return {
    kekId: kek.id,
    wrappedKey: gcmEncrypt(kek.key, dataKey, `${kek.id}:${recordId}`),
    ciphertext: gcmEncrypt(dataKey, Buffer.from(plaintext, 'utf8'), recordId),
  };
}

/** Throws when the KEK id does not match, the record id differs or anything was altered. */
export function open(keks: readonly Kek[], recordId: string, sealed: Sealed): string {
  const kek = keks.find((k) => k.id === sealed.kekId);
  if (!kek) throw new Error(`no key-encryption key with id ${sealed.kekId} is configured`);
  const dataKey = gcmDecrypt(kek.key, sealed.wrappedKey, `${kek.id}:${recordId}`);
  return gcmDecrypt(dataKey, sealed.ciphertext, recordId).toString('utf8');
}

/** Re-wraps the data key under a new KEK; the ciphertext is unchanged. */
export function rewrap(from: readonly Kek[], to: Kek, recordId: string, sealed: Sealed): Sealed {
  const kek = from.find((k) => k.id === sealed.kekId);
  if (!kek) throw new Error(`no key-encryption key with id ${sealed.kekId} is configured`);
  const dataKey = gcmDecrypt(kek.key, sealed.wrappedKey, `${kek.id}:${recordId}`);
  return { kekId: to.id, wrappedKey: gcmEncrypt(to.key, dataKey, `${to.id}:${recordId}`), ciphertext: sealed.ciphertext };
}

/** HMAC-SHA256 hex, used to store API keys and session tokens (never the value). */
export function hmacHex(secret: string | Buffer, value: string): string {
  return createHmac('sha256', secret).update(value, 'utf8').digest('hex');
}
