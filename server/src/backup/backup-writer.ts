import { createCipheriv, createHash, type Hash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { createGzip } from 'node:zlib';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import type { Connection } from 'mongoose';
import { BSON, type Db, type Document } from 'mongodb';
import { deriveKey, newHeader, type BackupManifest, type BackupScope, type BackupSecret, type ManifestEntry } from './backup-format';

/**
 * Collections left out of every backup. Sessions: a restore should make people sign
 * in again rather than bring back tokens (only their hashes are stored, but a restored
 * database is a new trust boundary). `system.*` belongs to the store itself.
 */
export const EXCLUDED_COLLECTIONS: readonly string[] = ['sessions'];

export interface BackupResult {
  file: string;
  scope: BackupScope;
  manifest: BackupManifest;
  bytes: number;
}

export function dbOf(conn: Connection): Db {
  const db = conn.db;
  if (!db) throw new Error('MongoDB is not connected');
  return db;
}

/** Every collection a backup covers, sorted so backups of equal data are laid out alike. */
export async function backupCollections(db: Db): Promise<string[]> {
  const all = await db.listCollections({}, { nameOnly: true }).toArray();
  return all.map((c) => c.name).filter((n) => !n.startsWith('system.') && !EXCLUDED_COLLECTIONS.includes(n)).sort();
}

/**
 * Streams the platform's (or one organization's) documents into an encrypted backup:
 * keys as stored (HMAC hashes and KEK-wrapped ciphertexts, never plaintext), users
 * with password hashes, roles, policies, requests, webhooks, the audit chain … Written
 * to `<file>.partial` and renamed when complete (mode 0600), so a crash never leaves a
 * file that looks like a backup.
 */
export async function writeBackup(conn: Connection, opts: { file: string; scope: BackupScope; secret: BackupSecret; serverVersion: string }): Promise<BackupResult> {
  const db = dbOf(conn);
  const header = newHeader(opts.scope, opts.secret, { db: db.databaseName, serverVersion: opts.serverVersion });
  const headerLine = `${JSON.stringify(header)}\n`;
  const key = await deriveKey(opts.secret, header.kdf);
  const cipher = createCipheriv('aes-256-gcm', key, Buffer.from(header.iv, 'base64'));
  cipher.setAAD(Buffer.from(headerLine, 'utf8'));

  await mkdir(dirname(opts.file), { recursive: true, mode: 0o700 });
  const partial = `${opts.file}.partial`;
  const fh = await open(partial, 'w', 0o600);
  await fh.write(headerLine);
  await fh.close();
  const manifest: BackupManifest = { t: 'manifest', collections: [], documents: 0 };
  try {
    const out = createWriteStream(partial, { flags: 'a' });
    await pipeline(Readable.from(lines(db, opts.scope, manifest)), createGzip(), cipher, out);
    const tagFh = await open(partial, 'a');
    await tagFh.write(cipher.getAuthTag());
    const { size } = await tagFh.stat();
    await tagFh.sync();
    await tagFh.close();
    await rename(partial, opts.file);
    return { file: opts.file, scope: opts.scope, manifest, bytes: size };
  } catch (err) {
    await rm(partial, { force: true });
    throw err;
  }
}

async function* lines(db: Db, scope: BackupScope, manifest: BackupManifest): AsyncGenerator<Buffer> {
  const filter: Document = scope.kind === 'organization' ? { orgId: scope.orgId } : {};
  for (const name of await backupCollections(db)) {
    const entry: ManifestEntry = { name, count: 0, sha256: '' };
    const hash: Hash = createHash('sha256');
    // _id order: a stable, resumable scan that needs no index beyond the default one.
    for await (const doc of db.collection(name).find(filter).sort({ _id: 1 })) {
      const line = Buffer.from(`${JSON.stringify({ t: 'doc', c: name, d: BSON.EJSON.serialize(doc, { relaxed: false }) })}\n`, 'utf8');
      hash.update(line);
      entry.count += 1;
      yield line;
    }
    entry.sha256 = hash.digest('hex');
    if (entry.count > 0) {
      manifest.collections.push(entry);
      manifest.documents += entry.count;
    }
  }
  yield Buffer.from(`${JSON.stringify(manifest)}\n`, 'utf8');
}
