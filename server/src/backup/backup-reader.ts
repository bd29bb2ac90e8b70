import { createDecipheriv, createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import { createInterface } from 'node:readline';
import { PassThrough } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Connection } from 'mongoose';
import { BSON, type Db, type Document } from 'mongodb';
import type { Config } from '../infra/config';
import { BackupRejected, MAX_HEADER_BYTES, TAG_BYTES, deriveKey, parseHeader, secretFor, type BackupHeader, type BackupManifest } from './backup-format';
import { dbOf } from './backup-writer';

type Secrets = Pick<Config, 'LATCHKEY_BACKUP_PASSPHRASE' | 'LATCHKEY_KEK' | 'LATCHKEY_KEK_ID'>;

export interface VerifiedBackup {
  header: BackupHeader;
  manifest: BackupManifest;
}

interface Opened {
  header: BackupHeader;
  key: Buffer;
  aad: Buffer;
  tag: Buffer;
  start: number;
  end: number;
}

async function openBackup(file: string, config: Secrets): Promise<Opened> {
  const { size } = await stat(file).catch(() => {
    throw new BackupRejected(`cannot read ${file}`);
  });
  const fh = await open(file, 'r');
  try {
    const head = Buffer.alloc(Math.min(size, MAX_HEADER_BYTES));
    await fh.read(head, 0, head.length, 0);
    const nl = head.indexOf(0x0a);
    if (nl < 0) throw new BackupRejected('this is not a Latchkey backup (no header line)');
    const header = parseHeader(head.subarray(0, nl).toString('utf8'));
    const start = nl + 1;
    if (size < start + TAG_BYTES) throw new BackupRejected('the file is truncated');
    const tag = Buffer.alloc(TAG_BYTES);
    await fh.read(tag, 0, TAG_BYTES, size - TAG_BYTES);
    const key = await deriveKey(secretFor(header, config), header.kdf);
    return { header, key, aad: head.subarray(0, start), tag, start, end: size - TAG_BYTES };
  } finally {
    await fh.close();
  }
}

/**
 * Decrypts and walks every line, calling `onDoc` for each document, and fails with
 * BackupRejected unless the GCM tag verifies and every collection's count and SHA-256
 * match the manifest. GCM hands out plaintext before the tag is checked at the end, so
 * a caller that must not act on unverified data walks twice (see restoreBackup).
 */
async function walk(o: Opened, file: string, onDoc: (collection: string, doc: Document) => Promise<void>): Promise<BackupManifest> {
  const decipher = createDecipheriv('aes-256-gcm', o.key, Buffer.from(o.header.iv, 'base64'));
  decipher.setAAD(o.aad);
  decipher.setAuthTag(o.tag);
  const plain = new PassThrough();
  // Settled into a value at once: a rejection must not go unhandled while lines are read.
  const piping = pipeline(createReadStream(file, { start: o.start, end: o.end - 1 }), decipher, createGunzip(), plain).then(
    () => null,
    (e: unknown) => e,
  );
  const seen = new Map<string, { count: number; hash: Hash }>();
  let manifest: BackupManifest | null = null;
  let failure: unknown = null;
  try {
    for await (const line of createInterface({ input: plain, crlfDelay: Infinity })) {
      // After a failure keep draining, so the decipher reaches its end and checks the tag.
      if (failure) continue;
      try {
        if (manifest) throw new BackupRejected('data follows the manifest');
        const rec = JSON.parse(line) as { t?: string; c?: unknown; d?: unknown };
        if (rec.t === 'manifest') {
          manifest = rec as unknown as BackupManifest;
          continue;
        }
        if (rec.t !== 'doc' || typeof rec.c !== 'string' || rec.d === null || typeof rec.d !== 'object') throw new BackupRejected('a record is malformed');
        const s = seen.get(rec.c) ?? { count: 0, hash: createHash('sha256') };
        seen.set(rec.c, s);
        s.count += 1;
        s.hash.update(`${line}\n`, 'utf8');
        await onDoc(rec.c, BSON.EJSON.deserialize(rec.d as Document, { relaxed: false }) as Document);
      } catch (err) {
        failure = err;
      }
    }
  } catch (err) {
    failure ??= err;
  }
  // The tag is checked when the decipher ends: its failure is the truest explanation.
  const streamErr = await piping;
  if (streamErr) throw new BackupRejected(`integrity check failed (${describe(streamErr)}): the file was altered, is truncated, or the key is wrong`);
  if (failure) throw failure instanceof BackupRejected ? failure : new BackupRejected(`the content is damaged (${describe(failure)})`);
  if (!manifest) throw new BackupRejected('the manifest is missing (truncated backup)');
  const listed = new Map(manifest.collections.map((c) => [c.name, c]));
  for (const [name, s] of seen) {
    const m = listed.get(name);
    if (!m || m.count !== s.count || m.sha256 !== s.hash.digest('hex')) throw new BackupRejected(`collection ${name} does not match the manifest`);
    listed.delete(name);
  }
  if (listed.size > 0) throw new BackupRejected(`collections listed in the manifest are missing: ${[...listed.keys()].join(', ')}`);
  return manifest;
}

function describe(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Checks a backup completely without writing anything. */
export async function verifyBackup(file: string, config: Secrets): Promise<VerifiedBackup> {
  const o = await openBackup(file, config);
  const manifest = await walk(o, file, async () => undefined);
  return { header: o.header, manifest };
}

/** Collections that hold at least one document (system collections aside). */
export async function nonEmptyCollections(db: Db): Promise<string[]> {
  const names = (await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name).filter((n) => !n.startsWith('system.'));
  const out: string[] = [];
  for (const n of names) if ((await db.collection(n).findOne({}, { projection: { _id: 1 } })) !== null) out.push(n);
  return out;
}

const BATCH = 500;

/**
 * Restores into an EMPTY database. The whole file is verified first (tag and
 * manifest) and nothing is inserted unless that succeeds; then it is read again and
 * inserted in batches. Indexes are created by the server at its next start (boot's
 * ensureIndexes), which also makes the restored data usable.
 */
export async function restoreBackup(conn: Connection, file: string, config: Secrets): Promise<VerifiedBackup> {
  const db = dbOf(conn);
  const busy = await nonEmptyCollections(db);
  if (busy.length > 0) {
    const listed = `${busy.slice(0, 5).join(', ')}${busy.length > 5 ? ', …' : ''}`;
    throw new BackupRejected(`the target database ${db.databaseName} is not empty (${listed}); restore only into an empty database`);
  }
  const o = await openBackup(file, config);
  const manifest = await walk(o, file, async () => undefined);
  // Checked again: something may have written while we verified.
  const late = await nonEmptyCollections(db);
  if (late.length > 0) throw new BackupRejected(`the target database ${db.databaseName} stopped being empty during verification (${late.join(', ')})`);
  const pending = new Map<string, Document[]>();
  const flush = async (name: string) => {
    const docs = pending.get(name);
    if (docs?.length) await db.collection(name).insertMany(docs, { ordered: true });
    pending.set(name, []);
  };
  try {
    await walk(o, file, async (name, doc) => {
      const docs = pending.get(name) ?? [];
      pending.set(name, docs);
      docs.push(doc);
      if (docs.length >= BATCH) await flush(name);
    });
    for (const name of pending.keys()) await flush(name);
  } catch (err) {
    // Verified already, so this is the store (or the file changing under us), mid-write.
    throw new Error(`restore failed part-way (${describe(err)}); drop the database ${db.databaseName} and restore again`);
  }
  return { header: o.header, manifest };
}
