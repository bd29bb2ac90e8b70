import { join } from 'node:path';
import type { Connection } from 'mongoose';
import { z } from 'zod';
import { IdPrefix } from '@latchkey/schema';
import { AppError } from '../infra/app-error';
import { idSchema, parseInput } from '../access/validation';
import { archiveModel, type ArchiveDoc, type ArchiveState } from './archive.model';
import { readLines } from './archive-files';
import type { ArchiveManifest } from './archive-manifest';
import type { Archiver } from './archiver';

export interface ArchivePage {
  nodes: ArchiveDoc[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

export interface ArchiveRecordPage {
  /** One NDJSON line per record, as stored (Extended JSON; audit events in canonical export form). */
  nodes: string[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

/** Only committed archives exist for readers; `writing` ones may still be undone. */
const VISIBLE: ArchiveState[] = ['committed', 'complete'];

const ListArgs = z.object({
  collection: z.string().regex(/^[a-z_]{1,64}$/, 'is not a collection name').nullish(),
  first: z.number().int('must be an integer').min(1, 'must be at least 1').max(100, 'must be at most 100').nullish(),
  after: idSchema(IdPrefix.archive).nullish(),
});
const RecordArgs = z.object({
  first: z.number().int('must be an integer').min(1, 'must be at least 1').max(1000, 'must be at most 1000').nullish(),
  after: z.string().regex(/^\d{1,12}$/, 'is not a cursor').nullish(),
});

/** Listing and reading back archives of one organization (the caller's). */
export class ArchiveReader {
  constructor(
    private readonly conn: Connection,
    private readonly archiver: Archiver,
  ) {}

  /** Newest first. */
  async list(orgId: string, args: { collection?: string | null; first?: number | null; after?: string | null }): Promise<ArchivePage> {
    const a = parseInput(ListArgs, args);
    const limit = a.first ?? 20;
    const q: Record<string, unknown> = { orgId, state: { $in: VISIBLE } };
    if (a.collection) q.collectionName = a.collection;
    if (a.after) q._id = { $lt: a.after };
    const rows = await archiveModel(this.conn).find(q).sort({ _id: -1 }).limit(limit + 1).lean<ArchiveDoc[]>().exec();
    const nodes = rows.slice(0, limit);
    return { nodes, pageInfo: { hasNextPage: rows.length > limit, endCursor: nodes.at(-1)?._id ?? null } };
  }

  /** NOT_FOUND for unknown ids, other organizations' archives and uncommitted ones alike. */
  async get(orgId: string, id: string): Promise<ArchiveDoc & { manifest: ArchiveManifest }> {
    parseInput(idSchema(IdPrefix.archive), id, ['id']);
    const row = await archiveModel(this.conn).findOne({ _id: id, orgId, state: { $in: VISIBLE } }).lean<ArchiveDoc>().exec();
    if (!row?.manifest) throw AppError.notFound(`archive ${id}`);
    return row as ArchiveDoc & { manifest: ArchiveManifest };
  }

  /** A page of records read from the archive file (cursor: the number of records before the page). */
  async records(orgId: string, id: string, args: { first?: number | null; after?: string | null }): Promise<ArchiveRecordPage> {
    const a = parseInput(RecordArgs, args);
    const row = await this.get(orgId, id);
    const skip = a.after ? Number(a.after) : 0;
    const limit = a.first ?? 100;
    const nodes: string[] = [];
    let index = 0;
    let more = false;
    for await (const line of readLines(this.pathOf(row.manifest))) {
      if (index++ < skip) continue;
      if (nodes.length === limit) {
        more = true;
        break;
      }
      nodes.push(line);
    }
    return { nodes, pageInfo: { hasNextPage: more, endCursor: nodes.length > 0 ? String(skip + nodes.length) : (a.after ?? null) } };
  }

  /** Reads the archive back against its manifest now; null when everything matches. */
  async integrity(orgId: string, id: string): Promise<string | null> {
    return this.archiver.verify((await this.get(orgId, id)).manifest);
  }

  /** The data file of an archive, for the download route. */
  async file(orgId: string, id: string): Promise<{ path: string; manifest: ArchiveManifest }> {
    const row = await this.get(orgId, id);
    return { path: this.pathOf(row.manifest), manifest: row.manifest };
  }

  private pathOf(m: ArchiveManifest): string {
    return join(this.archiver.dirOf(m.collection, m.orgId), m.file);
  }
}
