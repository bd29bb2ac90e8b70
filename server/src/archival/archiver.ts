import { join } from 'node:path';
import mongoose, { type Connection, type Model } from 'mongoose';
import type { Collection, Document } from 'mongodb';
import { IdPrefix } from '@latchkey/schema';
import type { Config } from '../infra/config';
import type { Logger } from '../infra/logger';
import { AppError } from '../infra/app-error';
import { newId } from '../infra/ids';
import { archiveModel, type ArchiveDoc } from './archive.model';
import { dataFileName, manifestFileName, parseManifest, type ArchiveManifest, type AuditRange } from './archive-manifest';
import { exists, readBack, readLines, readTextIfExists, removeFile, TEMP_PREFIX, writeFileAtomic, writeGzipNdjson, type WrittenData } from './archive-files';
import type { Lease } from './archive-lease';

const { EJSON } = mongoose.mongo.BSON;

/** One archive to write: which records, in which order, and how each becomes a line. */
export interface ArchiveUnit {
  orgId: string;
  collection: string;
  timeField: string;
  keyId: string | null;
  from: Date;
  to: Date;
  /** The complete Mongo filter of the unit's records (orgId included). */
  filter: Record<string, unknown>;
  /** Keyset order of the scan (`_id`, or `seq` for audit events). */
  sortField: string;
  /** Upper bound of records in this archive (audit ranges are split). */
  maxRecords?: number;
  serialize(doc: Document): string;
  deletesRecords: boolean;
  /** Audit only: checks every line as the chain continues and returns the range. */
  chain?: { start(): ChainCheck };
}

export interface ChainCheck {
  line(text: string): void;
  range(): AuditRange | null;
}

export interface ArchiverDeps {
  conn: Connection;
  config: Config;
  logger: Logger;
}

/**
 * Writes one archive with the commit protocol of docs/ARCHIVAL.md: row `writing` →
 * data file (temp, fsync, rename) → read back and compare → manifest (temp, fsync,
 * rename: the commit point) → row `committed` → delete exactly the archived ids
 * (read from the file) → row `complete`. `recover()` finishes or undoes what a killed
 * run left, so every step may be interrupted.
 */
export class Archiver {
  private readonly rows: Model<ArchiveDoc>;

  constructor(private readonly deps: ArchiverDeps) {
    this.rows = archiveModel(deps.conn);
  }

  dirOf(collection: string, orgId: string): string {
    return join(this.deps.config.ARCHIVE_DIR, collection, orgId);
  }

  collection(name: string): Collection {
    const db = this.deps.conn.db;
    if (!db) throw AppError.unavailable('MongoDB is not connected');
    return db.collection(name);
  }

  /** Archives a unit; null when it had no records. */
  async archive(unit: ArchiveUnit, lease: Lease): Promise<ArchiveDoc | null> {
    const now = new Date();
    const row: ArchiveDoc = {
      _id: newId(IdPrefix.archive),
      orgId: unit.orgId,
      collectionName: unit.collection,
      keyId: unit.keyId,
      state: 'writing',
      from: unit.from,
      to: unit.to,
      manifest: null,
      createdAt: now,
      updatedAt: now,
    };
    await this.rows.create(row);
    const dir = this.dirOf(unit.collection, unit.orgId);
    const stats = { firstId: null as string | null, lastId: null as string | null, first: null as Date | null, last: null as Date | null };
    const written = await writeGzipNdjson(dir, dataFileName(row._id), this.scan(unit, lease, stats));
    if (written.recordCount === 0) {
      await removeFile(join(dir, dataFileName(row._id)));
      await this.rows.deleteOne({ _id: row._id }).exec();
      return null;
    }
    const manifest: ArchiveManifest = {
      version: 1,
      id: row._id,
      orgId: unit.orgId,
      collection: unit.collection,
      keyId: unit.keyId,
      timeField: unit.timeField,
      from: unit.from.toISOString(),
      to: unit.to.toISOString(),
      recordCount: written.recordCount,
      firstRecordAt: stats.first?.toISOString() ?? null,
      lastRecordAt: stats.last?.toISOString() ?? null,
      firstId: stats.firstId,
      lastId: stats.lastId,
      file: dataFileName(row._id),
      bytes: written.bytes,
      sha256: written.sha256,
      contentSha256: written.contentSha256,
      deletesRecords: unit.deletesRecords,
      audit: null,
      createdAt: now.toISOString(),
    };
    // Read back before committing: an archive that does not match never becomes one.
    const check = unit.chain?.start();
    let mismatch: string | null;
    try {
      mismatch = compare(written, await readBack(join(dir, manifest.file), check ? (l) => check.line(l) : undefined));
    } catch (e) {
      mismatch = (e as Error).message;
    }
    if (mismatch) {
      await this.markCorrupt(row._id, mismatch);
      throw new Error(`archive ${row._id} did not read back: ${mismatch}`);
    }
    manifest.audit = check?.range() ?? null;
    if (!lease.held()) throw new Error('archival lease lost before commit; the next run cleans up');
    await writeFileAtomic(dir, manifestFileName(row._id), `${JSON.stringify(manifest, null, 2)}\n`);
    await this.rows.updateOne({ _id: row._id }, { $set: { state: 'committed', manifest, updatedAt: new Date() } }).exec();
    return this.complete({ ...row, state: 'committed', manifest }, lease);
  }

  /** Keyset scan of the unit, one batch per yield; records the id and time range seen. */
  private async *scan(unit: ArchiveUnit, lease: Lease, stats: { firstId: string | null; lastId: string | null; first: Date | null; last: Date | null }): AsyncIterable<string[]> {
    const coll = this.collection(unit.collection);
    const batch = this.deps.config.ARCHIVE_BATCH_SIZE;
    let after: unknown;
    let total = 0;
    for (;;) {
      const take = Math.min(batch, (unit.maxRecords ?? Number.POSITIVE_INFINITY) - total);
      if (take <= 0) return;
      const q = after === undefined ? unit.filter : { $and: [unit.filter, { [unit.sortField]: { $gt: after } }] };
      const docs = await coll.find(q).sort({ [unit.sortField]: 1 }).limit(take).toArray();
      if (docs.length === 0) return;
      for (const d of docs) {
        const id = EJSON.stringify(d._id, { relaxed: false });
        stats.firstId ??= id;
        stats.lastId = id;
        const t = d[unit.timeField];
        if (t instanceof Date) {
          if (!stats.first || t < stats.first) stats.first = t;
          if (!stats.last || t > stats.last) stats.last = t;
        }
      }
      after = docs.at(-1)?.[unit.sortField];
      total += docs.length;
      yield docs.map((d) => unit.serialize(d));
      await this.pause(lease);
      if (docs.length < take) return;
    }
  }

  /** Deletes exactly the archived records (ids read back from the file), then marks it complete. */
  async complete(row: ArchiveDoc, lease: Lease): Promise<ArchiveDoc> {
    const m = row.manifest as ArchiveManifest;
    const path = join(this.dirOf(m.collection, m.orgId), m.file);
    if (m.deletesRecords) {
      const coll = this.collection(m.collection);
      const batch = this.deps.config.ARCHIVE_BATCH_SIZE;
      let ids: unknown[] = [];
      const flush = async () => {
        if (ids.length === 0) return;
        if (!lease.held()) throw new Error('archival lease lost while deleting; the next run resumes');
        await coll.deleteMany({ orgId: m.orgId, _id: { $in: ids } } as Document);
        ids = [];
        await this.pause(lease);
      };
      for await (const line of readLines(path)) {
        ids.push((EJSON.parse(line, { relaxed: false }) as { _id: unknown })._id);
        if (ids.length >= batch) await flush();
      }
      await flush();
    }
    await this.rows.updateOne({ _id: row._id }, { $set: { state: 'complete', updatedAt: new Date() } }).exec();
    return { ...row, state: 'complete' };
  }

  /**
   * Finishes or undoes what killed runs left: a `writing` row with a manifest on disk
   * was committed (finish it); without one it never was (remove its files and row).
   * A committed archive is read back against its manifest before any deletion.
   */
  async recover(lease: Lease): Promise<{ undone: number; finished: number }> {
    let undone = 0;
    let finished = 0;
    const open = await this.rows.find({ state: { $in: ['writing', 'committed'] } }).sort({ _id: 1 }).lean<ArchiveDoc[]>().exec();
    for (const row of open) {
      const dir = this.dirOf(row.collectionName, row.orgId);
      const text = await readTextIfExists(join(dir, manifestFileName(row._id)));
      if (!text) {
        if (row.state === 'committed') {
          await this.markCorrupt(row._id, 'manifest missing on disk');
          continue;
        }
        for (const f of [dataFileName(row._id), `${TEMP_PREFIX}${dataFileName(row._id)}`, `${TEMP_PREFIX}${manifestFileName(row._id)}`]) await removeFile(join(dir, f));
        await this.rows.deleteOne({ _id: row._id, state: 'writing' }).exec();
        undone++;
        continue;
      }
      const manifest = parseManifest(text);
      const problem = await this.verify(manifest);
      if (problem) {
        await this.markCorrupt(row._id, problem);
        continue;
      }
      await this.rows.updateOne({ _id: row._id }, { $set: { state: 'committed', manifest, updatedAt: new Date() } }).exec();
      await this.complete({ ...row, state: 'committed', manifest }, lease);
      finished++;
    }
    return { undone, finished };
  }

  /** Reads an archive back against its manifest; a description of the first mismatch, or null. */
  async verify(m: ArchiveManifest, onLine?: (line: string) => void): Promise<string | null> {
    const path = join(this.dirOf(m.collection, m.orgId), m.file);
    if (!(await exists(path))) return 'data file missing';
    try {
      return compare(m, await readBack(path, onLine));
    } catch (e) {
      return `unreadable: ${(e as Error).message}`;
    }
  }

  private async markCorrupt(id: string, reason: string): Promise<void> {
    this.deps.logger.error({ archiveId: id, reason }, 'archive failed verification; its records are kept');
    await this.rows.updateOne({ _id: id }, { $set: { state: 'corrupt', updatedAt: new Date() } }).exec();
  }

  private async pause(lease: Lease): Promise<void> {
    const ms = this.deps.config.ARCHIVE_TEST_DELAY_MS;
    if (ms > 0) await new Promise((r) => setTimeout(r, ms));
    if (!lease.held()) throw new Error('archival lease lost; the next run resumes');
  }
}

function compare(expected: Pick<WrittenData, 'recordCount' | 'bytes' | 'sha256' | 'contentSha256'>, got: WrittenData): string | null {
  if (got.recordCount !== expected.recordCount) return `record count ${got.recordCount} ≠ ${expected.recordCount}`;
  if (got.bytes !== expected.bytes) return `size ${got.bytes} ≠ ${expected.bytes}`;
  if (got.sha256 !== expected.sha256) return 'SHA-256 of the file differs';
  if (got.contentSha256 !== expected.contentSha256) return 'SHA-256 of the content differs';
  return null;
}
