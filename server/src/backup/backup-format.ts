import { randomBytes, scrypt as scryptCb, type ScryptOptions } from 'node:crypto';
import type { Config } from '../infra/config';

/**
 * The backup file (docs/SECURITY-OPERATIONS.md "Backup and restore"):
 *
 *   <header: one line of JSON>\n<AES-256-GCM ciphertext><16-byte GCM tag>
 *
 * The header names the key derivation and is the GCM additional data, so it cannot be
 * altered either. The plaintext is gzip'd NDJSON: one line per document
 * (`{"t":"doc","c":collection,"d":<canonical Extended JSON>}`) and a final manifest
 * line with a SHA-256 and count per collection. Two independent checks: the GCM tag
 * (any changed byte, wrong key) and the manifest (a truncated or reordered stream).
 */
export const BACKUP_FORMAT = 'latchkey-backup';
export const BACKUP_VERSION = 1;
export const TAG_BYTES = 16;
export const MAX_HEADER_BYTES = 64 * 1024;
export const BACKUP_EXTENSION = '.lkbak';

/** scrypt cost: 32 MiB and ~100 ms per derivation, once per backup or restore. */
const SCRYPT = { N: 2 ** 15, r: 8, p: 1 } as const;

export type BackupScope = { kind: 'all' } | { kind: 'organization'; orgId: string };

export interface BackupHeader {
  format: typeof BACKUP_FORMAT;
  version: number;
  createdAt: string;
  scope: BackupScope;
  source: { db: string; serverVersion: string };
  kdf: { name: 'scrypt'; N: number; r: number; p: number; salt: string };
  /** What the key was derived from: LATCHKEY_BACKUP_PASSPHRASE, or the KEK named by kekId. */
  keySource: 'passphrase' | 'kek';
  kekId: string | null;
  cipher: 'aes-256-gcm';
  iv: string;
  compression: 'gzip';
}

export interface ManifestEntry {
  name: string;
  count: number;
  sha256: string;
}

export interface BackupManifest {
  t: 'manifest';
  collections: ManifestEntry[];
  documents: number;
}

/** Refusals at restore: a clear reason, and a promise that nothing was written. */
export class BackupRejected extends Error {
  constructor(message: string) {
    super(`backup refused: ${message} — nothing was restored`);
    this.name = 'BackupRejected';
  }
}

export interface BackupSecret {
  source: 'passphrase' | 'kek';
  kekId: string | null;
  material: Buffer;
}

/** The passphrase when one is configured (preferred: it survives a KEK rotation), else the KEK. */
export function backupSecretFrom(config: Pick<Config, 'LATCHKEY_BACKUP_PASSPHRASE' | 'LATCHKEY_KEK' | 'LATCHKEY_KEK_ID'>): BackupSecret {
  if (config.LATCHKEY_BACKUP_PASSPHRASE) return { source: 'passphrase', kekId: null, material: Buffer.from(config.LATCHKEY_BACKUP_PASSPHRASE, 'utf8') };
  return { source: 'kek', kekId: config.LATCHKEY_KEK_ID, material: Buffer.from(config.LATCHKEY_KEK, 'base64') };
}

export function newHeader(scope: BackupScope, secret: BackupSecret, source: BackupHeader['source']): BackupHeader {
  return {
    format: BACKUP_FORMAT,
    version: BACKUP_VERSION,
    createdAt: new Date().toISOString(),
    scope,
    source,
    kdf: { name: 'scrypt', ...SCRYPT, salt: randomBytes(16).toString('base64') },
    keySource: secret.source,
    kekId: secret.kekId,
    cipher: 'aes-256-gcm',
    iv: randomBytes(12).toString('base64'),
    compression: 'gzip',
  };
}

export function deriveKey(secret: BackupSecret, kdf: BackupHeader['kdf']): Promise<Buffer> {
  const opts: ScryptOptions = { N: kdf.N, r: kdf.r, p: kdf.p, maxmem: 256 * kdf.N * kdf.r + 16 * 1024 * 1024 };
  return new Promise((resolve, reject) => scryptCb(secret.material, Buffer.from(kdf.salt, 'base64'), 32, opts, (err, key) => (err ? reject(err) : resolve(key))));
}

/** Validates a header read back from a file; BackupRejected names what is wrong. */
export function parseHeader(line: string): BackupHeader {
  let h: Partial<BackupHeader>;
  try {
    h = JSON.parse(line) as Partial<BackupHeader>;
  } catch {
    throw new BackupRejected('this is not a Latchkey backup (no readable header)');
  }
  if (h.format !== BACKUP_FORMAT) throw new BackupRejected('this is not a Latchkey backup (unknown format)');
  if (h.version !== BACKUP_VERSION) throw new BackupRejected(`backup format version ${String(h.version)} is not supported (this server reads ${BACKUP_VERSION})`);
  const k = h.kdf;
  const sane = k?.name === 'scrypt' && Number.isInteger(k.N) && k.N >= 2 ** 14 && k.N <= 2 ** 20 && k.r >= 1 && k.r <= 32 && k.p >= 1 && k.p <= 16 && typeof k.salt === 'string';
  if (!sane || h.cipher !== 'aes-256-gcm' || typeof h.iv !== 'string' || Buffer.from(h.iv, 'base64').length !== 12 || h.compression !== 'gzip') {
    throw new BackupRejected('the backup header is damaged');
  }
  if (h.keySource !== 'passphrase' && h.keySource !== 'kek') throw new BackupRejected('the backup header names no key source');
  if (h.scope?.kind !== 'all' && !(h.scope?.kind === 'organization' && typeof h.scope.orgId === 'string')) throw new BackupRejected('the backup header names no scope');
  return h as BackupHeader;
}

/** The secret a backup needs, or BackupRejected explaining which one is missing. */
export function secretFor(header: BackupHeader, config: Pick<Config, 'LATCHKEY_BACKUP_PASSPHRASE' | 'LATCHKEY_KEK' | 'LATCHKEY_KEK_ID'>): BackupSecret {
  if (header.keySource === 'passphrase') {
    if (!config.LATCHKEY_BACKUP_PASSPHRASE) throw new BackupRejected('it was encrypted with a passphrase: set LATCHKEY_BACKUP_PASSPHRASE');
    return { source: 'passphrase', kekId: null, material: Buffer.from(config.LATCHKEY_BACKUP_PASSPHRASE, 'utf8') };
  }
  if (header.kekId !== config.LATCHKEY_KEK_ID) throw new BackupRejected(`it was encrypted with KEK ${String(header.kekId)}, but LATCHKEY_KEK_ID is ${config.LATCHKEY_KEK_ID}`);
  return { source: 'kek', kekId: config.LATCHKEY_KEK_ID, material: Buffer.from(config.LATCHKEY_KEK, 'base64') };
}
