import { createHash } from 'node:crypto';
import type { Connection, Model } from 'mongoose';
import { apiKeyModel, type ApiKeyDoc } from './key.model';
import { keyHashModel, ORPHAN_TAKEOVER_MS, type KeyHashDoc } from './key-hash-index';
import { importRefModel, type ImportRefDoc, type ImportRefKind } from './key-import.model';

/**
 * The bulk reads and writes of `importApiKeys`: every read is by `_id` (`$in` of ids,
 * pushed down on the embedded store) or an equality prefix on a declared index, every
 * write one unordered `insertMany` per collection for the whole call.
 */

export function refIdOf(orgId: string, kind: ImportRefKind, identity: string): string {
  return `kir_${createHash('sha256').update(`${orgId}\n${kind}\n${identity}`).digest('hex')}`;
}

/**
 * Inserts `docs` in one round trip, unordered: every document that can land does.
 * Returns the positions refused by a unique index; any other write error is thrown.
 * `lean`: the documents are complete already (built by the key code), so mongoose's
 * per-document hydration is skipped and a position is a position in `docs`.
 */
export async function insertUnordered<T>(model: Model<T>, docs: T[]): Promise<Set<number>> {
  const refused = new Set<number>();
  if (docs.length === 0) return refused;
  try {
    await model.insertMany(docs, { ordered: false, lean: true });
  } catch (e) {
    const err = e as { writeErrors?: WriteErrorLike[]; result?: { result?: { writeErrors?: WriteErrorLike[] } } };
    const writeErrors = err.writeErrors ?? err.result?.result?.writeErrors;
    if (!writeErrors || writeErrors.length === 0) throw e;
    for (const w of writeErrors) {
      if (w.code !== 11000) throw e;
      refused.add(w.index);
    }
  }
  return refused;
}

interface WriteErrorLike {
  index: number;
  code?: number;
}

async function byIds<T extends { _id: string }>(model: Model<T>, ids: string[]): Promise<Map<string, T>> {
  const unique = [...new Set(ids)];
  const out = new Map<string, T>();
  if (unique.length === 0) return out;
  const docs = await model.find({ _id: { $in: unique } }).lean<T[]>().exec();
  for (const d of docs) out.set(d._id, d);
  return out;
}

export function readRefs(conn: Connection, ids: string[]): Promise<Map<string, ImportRefDoc>> {
  return byIds(importRefModel(conn), ids);
}

export function readHashEntries(conn: Connection, hashes: string[]): Promise<Map<string, KeyHashDoc>> {
  return byIds(keyHashModel(conn), hashes);
}

export function readKeys(conn: Connection, ids: string[]): Promise<Map<string, ApiKeyDoc>> {
  return byIds(apiKeyModel(conn), ids);
}

/** externalId of each of `keyIds` that was imported under one (index {orgId, keyId}). */
export async function externalIdsOf(conn: Connection, orgId: string, keyIds: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (keyIds.length === 0) return out;
  const refs = await importRefModel(conn)
    .find({ orgId, keyId: { $in: [...new Set(keyIds)] } })
    .lean<ImportRefDoc[]>()
    .exec();
  for (const r of refs) if (r.kind === 'external' && r.externalId !== null) out.set(r.keyId, r.externalId);
  return out;
}

/** What a refused ref insert found in its place. */
export type RefClash = { kind: 'key'; key: ApiKeyDoc } | { kind: 'busy' } | { kind: 'mine' };

/**
 * After `entry` was refused as a duplicate: the key that holds the identity, `busy` when
 * another request is between writing the ref and its key (younger than the orphan
 * window), or `mine` once a stale orphan was taken over. Taking over deletes the orphan
 * (only that exact entry) and inserts again, so of two racing takers the unique `_id`
 * lets one win.
 */
export async function resolveRefClash(conn: Connection, entry: ImportRefDoc, now: Date): Promise<RefClash> {
  const model = importRefModel(conn);
  const cur = await model.findOne({ _id: entry._id }).lean<ImportRefDoc>().exec();
  if (cur?.keyId === entry.keyId) return { kind: 'mine' };
  if (cur) {
    const key = await apiKeyModel(conn).findOne({ _id: cur.keyId }).lean<ApiKeyDoc>().exec();
    if (key && key.orgId === entry.orgId) return { kind: 'key', key };
    if (now.getTime() - cur.createdAt.getTime() < ORPHAN_TAKEOVER_MS) return { kind: 'busy' };
    await model.deleteOne({ _id: cur._id, keyId: cur.keyId, createdAt: cur.createdAt }).exec();
  }
  const refused = await insertUnordered(model, [entry]);
  return refused.size === 0 ? { kind: 'mine' } : { kind: 'busy' };
}

/**
 * Drops the entries this call wrote (refs or hash entries, by `_id`) for keys it did not
 * create after all. `keyIds` are ids this call minted, so an entry naming one of them is
 * ours; `_id: {$in}` is a point read on both stores (an `$or` of pairs would scan).
 */
export async function releaseEntries<T extends { _id: string; keyId: string }>(model: Model<T>, entries: { _id: string; keyId: string }[]): Promise<void> {
  if (entries.length === 0) return;
  await model.deleteMany({ _id: { $in: entries.map((e) => e._id) }, keyId: { $in: entries.map((e) => e.keyId) } }).exec();
}
