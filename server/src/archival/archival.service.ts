import mongoose, { type Connection } from 'mongoose';
import type { Redis } from 'ioredis';
import type { Document } from 'mongodb';
import type { Config } from '../infra/config';
import type { Logger } from '../infra/logger';
import { archiveModel, type ArchiveDoc } from './archive.model';
import { acquireLease, type Lease } from './archive-lease';
import { removeTempFiles } from './archive-files';
import type { ArchiveManifest } from './archive-manifest';
import { Archiver, type ArchiveUnit } from './archiver';
import { AUDIT_COLLECTION, CHAIN_START, auditUnit } from './audit-archive';
import { ArchiveReader } from './archive-reader';

const { EJSON } = mongoose.mongo.BSON;
const DAY_MS = 86_400_000;
/** Bounds one run; whatever is left is taken by the next run. */
const MAX_UNITS_PER_RUN = 1_000;

/** A collection archived past its retention, generic over its time field. */
export interface RetentionTarget {
  collection: string;
  timeField: string;
  retentionDays: number;
}

/**
 * Request logs and per-minute usage rollups, as the monitoring domain writes them
 * (usage/usage.model.ts: `request_logs {orgId, keyId, at}`, `usage_minute {orgId, keyId, bucketStart}`).
 */
export function retentionTargets(config: Config): RetentionTarget[] {
  return [
    { collection: 'request_logs', timeField: 'at', retentionDays: config.ARCHIVE_RETENTION_DAYS_REQUEST_LOGS },
    { collection: 'usage_minute', timeField: 'bucketStart', retentionDays: config.ARCHIVE_RETENTION_DAYS_USAGE_MINUTE },
  ];
}

export interface ArchivalRunResult {
  /** Another worker holds the archival lease; nothing was done. */
  busy: boolean;
  undone: number;
  finished: number;
  tempFilesRemoved: number;
  archives: number;
  records: number;
  auditArchives: number;
}

export interface ArchivalDeps {
  conn: Connection;
  config: Config;
  logger: Logger;
  redis: Redis;
  targets?: RetentionTarget[];
}

/**
 * Archival (docs/ARCHIVAL.md): records past retention go to gzip NDJSON files with a
 * manifest, per organization and UTC day, and are deleted only once the archive is
 * committed and read back. Audit events are copied with a chain checkpoint, never
 * deleted. One run at a time across all workers (a renewed Redis lease); every run
 * first finishes or undoes what a killed run left.
 */
export class ArchivalService {
  readonly archiver: Archiver;
  readonly reader: ArchiveReader;
  private indexes: Promise<unknown> | null = null;

  constructor(private readonly deps: ArchivalDeps) {
    this.archiver = new Archiver(deps);
    this.reader = new ArchiveReader(deps.conn, this.archiver);
  }

  async run(now = new Date()): Promise<ArchivalRunResult> {
    return this.leased(async (lease) => {
      const r: ArchivalRunResult = { busy: false, undone: 0, finished: 0, tempFilesRemoved: 0, archives: 0, records: 0, auditArchives: 0 };
      Object.assign(r, await this.archiver.recover(lease));
      r.tempFilesRemoved = await removeTempFiles(this.deps.config.ARCHIVE_DIR);
      for (const t of this.deps.targets ?? retentionTargets(this.deps.config)) {
        const cutoff = new Date(startOfUtcDay(now.getTime() - t.retentionDays * DAY_MS));
        for (const orgId of await this.archiver.collection(t.collection).distinct('orgId', { [t.timeField]: { $lt: cutoff } })) {
          for (let n = 0; n < MAX_UNITS_PER_RUN; n++) {
            const oldest = await this.archiver.collection(t.collection).find({ orgId, [t.timeField]: { $lt: cutoff } }).sort({ [t.timeField]: 1 }).limit(1).next();
            const at = oldest?.[t.timeField];
            if (!(at instanceof Date)) break;
            const from = new Date(startOfUtcDay(at.getTime()));
            const to = new Date(Math.min(from.getTime() + DAY_MS, cutoff.getTime()));
            const done = await this.archiver.archive(this.unit(t, orgId as string, null, from, to), lease);
            if (!done) break;
            r.archives++;
            r.records += done.manifest?.recordCount ?? 0;
          }
        }
      }
      r.auditArchives = await this.archiveAudit(new Date(now.getTime() - this.deps.config.ARCHIVE_AUDIT_AFTER_DAYS * DAY_MS), lease);
      return r;
    });
  }

  /** Archives (and removes) the whole request log and usage detail of one key, e.g. once it expired. */
  async archiveKeyHistory(orgId: string, keyId: string, now = new Date()): Promise<ArchivalRunResult> {
    return this.leased(async (lease) => {
      const r: ArchivalRunResult = { busy: false, undone: 0, finished: 0, tempFilesRemoved: 0, archives: 0, records: 0, auditArchives: 0 };
      Object.assign(r, await this.archiver.recover(lease));
      for (const t of this.deps.targets ?? retentionTargets(this.deps.config)) {
        const done = await this.archiver.archive(this.unit(t, orgId, keyId, new Date(0), now), lease);
        if (done) {
          r.archives++;
          r.records += done.manifest?.recordCount ?? 0;
        }
      }
      return r;
    });
  }

  private unit(t: RetentionTarget, orgId: string, keyId: string | null, from: Date, to: Date): ArchiveUnit {
    const filter: Record<string, unknown> = { orgId, [t.timeField]: { $gte: from, $lt: to } };
    if (keyId) filter.keyId = keyId;
    return {
      orgId,
      collection: t.collection,
      timeField: t.timeField,
      keyId,
      from,
      to,
      filter,
      sortField: '_id',
      // Extended JSON keeps dates and ObjectIds typed, so a line parses back to the stored document.
      serialize: (doc: Document) => EJSON.stringify(doc, { relaxed: true }),
      deletesRecords: true,
    };
  }

  /** Copies each organization's audit events older than `cutoff`, continuing from its last archive. */
  private async archiveAudit(cutoff: Date, lease: Lease): Promise<number> {
    const events = this.archiver.collection(AUDIT_COLLECTION);
    let n = 0;
    for (const orgId of (await events.distinct('orgId', { time: { $lt: cutoff } })) as string[]) {
      const head = await events.find({ orgId, time: { $lt: cutoff } }).sort({ seq: -1 }).limit(1).next();
      if (!head) continue;
      let after = await this.lastAuditCheckpoint(orgId);
      while (after.seq < (head.seq as number) && n < MAX_UNITS_PER_RUN) {
        const first = await events.findOne({ orgId, seq: after.seq + 1 });
        if (!first) {
          this.deps.logger.error({ orgId, seq: after.seq + 1 }, 'audit chain has a gap; not archived');
          break;
        }
        const done = await this.archiver.archive(auditUnit(orgId, after, head.seq as number, first.time as Date, cutoff), lease);
        const range = done?.manifest?.audit;
        if (!range) break;
        after = range.checkpoint;
        n++;
      }
    }
    return n;
  }

  private async lastAuditCheckpoint(orgId: string): Promise<{ seq: number; hash: string }> {
    const rows = await archiveModel(this.deps.conn)
      .find({ orgId, collectionName: AUDIT_COLLECTION, state: { $in: ['committed', 'complete'] } }, { manifest: 1 })
      .lean<Pick<ArchiveDoc, 'manifest'>[]>()
      .exec();
    let best = CHAIN_START;
    for (const r of rows) {
      const c = (r.manifest as ArchiveManifest | null)?.audit?.checkpoint;
      if (c && c.seq > best.seq) best = c;
    }
    return best;
  }

  private async leased(work: (lease: Lease) => Promise<ArchivalRunResult>): Promise<ArchivalRunResult> {
    await (this.indexes ??= archiveModel(this.deps.conn).createIndexes().catch((e: unknown) => {
      this.indexes = null;
      throw e;
    }));
    const lease = await acquireLease(this.deps.redis, `${this.deps.config.REDIS_PREFIX}:archival:lease`, this.deps.config.ARCHIVE_LOCK_TTL_MS);
    if (!lease) return { busy: true, undone: 0, finished: 0, tempFilesRemoved: 0, archives: 0, records: 0, auditArchives: 0 };
    try {
      return await work(lease);
    } finally {
      await lease.release();
    }
  }
}

function startOfUtcDay(ms: number): number {
  return Math.floor(ms / DAY_MS) * DAY_MS;
}
