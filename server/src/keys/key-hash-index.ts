import { Schema, type Connection, type Model } from 'mongoose';
import { apiKeyModel, type ApiKeyDoc } from './key.model';
import { duplicateValueConflict, isDuplicateKeyError } from './key-issue';

/**
 * The verify path's lookup table: key hash → key id, with the hash as `_id`
 * (docs/KEYS.md, "Hash index"). It exists because a lookup filtered on `_id` alone is
 * the only query FerretDB pushes down to its storage; `api_keys.findOne({ hash })`
 * decodes every key in the store (10k keys ≈ 30 ms of CPU per miss, linear). On
 * MongoDB it costs one extra point read per cache miss.
 *
 * Invariant: every key document's hash has an entry naming that key. Writers keep it
 * by writing the entry *before* the key document (insert) or before the new hash
 * (re-issued values), so a crash leaves at most an orphan entry — one whose key does
 * not exist or no longer carries that hash. Orphans are harmless: the verify path
 * reads the key by id and compares the hash, and an orphan older than
 * ORPHAN_TAKEOVER_MS may be taken over by a new key with the same (imported) value.
 */
export interface KeyHashDoc {
  /** HMAC-SHA256(pepper, key) — the same value as `api_keys.hash`. */
  _id: string;
  keyId: string;
  orgId: string;
  createdAt: Date;
}

const schema = new Schema<KeyHashDoc>(
  {
    _id: { type: String, required: true },
    keyId: { type: String, required: true },
    orgId: { type: String, required: true },
    createdAt: { type: Date, required: true },
  },
  { collection: 'api_key_hashes', versionKey: false },
);

export function keyHashModel(conn: Connection): Model<KeyHashDoc> {
  return (conn.models.ApiKeyHash as Model<KeyHashDoc> | undefined) ?? conn.model<KeyHashDoc>('ApiKeyHash', schema);
}

/** An entry this old whose key is gone was left by a crashed write, not one in flight. */
export const ORPHAN_TAKEOVER_MS = 60_000;

/**
 * Claims `hash` for `keyId` before the key document carries it. CONFLICT when another
 * key holds the value (only imported values can collide); a stale orphan is taken over.
 */
export async function claimKeyHash(conn: Connection, entry: { hash: string; keyId: string; orgId: string }, now = new Date()): Promise<void> {
  const model = keyHashModel(conn);
  try {
    await model.create({ _id: entry.hash, keyId: entry.keyId, orgId: entry.orgId, createdAt: now });
    return;
  } catch (e) {
    if (!isDuplicateKeyError(e)) throw e;
  }
  const cur = await model.findOne({ _id: entry.hash }).lean<KeyHashDoc>().exec();
  if (!cur || cur.keyId === entry.keyId) return;
  const holder = await apiKeyModel(conn).findOne({ _id: cur.keyId }, { hash: 1 }).lean<Pick<ApiKeyDoc, 'hash'>>().exec();
  const orphan = !holder || holder.hash !== entry.hash;
  if (!orphan || now.getTime() - cur.createdAt.getTime() < ORPHAN_TAKEOVER_MS) throw duplicateValueConflict();
  await model.updateOne({ _id: entry.hash }, { $set: { keyId: entry.keyId, orgId: entry.orgId, createdAt: now } }).exec();
}

/** Drops the entry of a hash no key carries any more (a deleted key, a replaced value). */
export async function releaseKeyHash(conn: Connection, hash: string, keyId: string): Promise<void> {
  const model = keyHashModel(conn);
  const cur = await model.findOne({ _id: hash }, { keyId: 1 }).lean<Pick<KeyHashDoc, 'keyId'>>().exec();
  if (cur?.keyId === keyId) await model.deleteOne({ _id: hash }).exec();
}

/** An id no key has (ids are `key_` + base36): the second read of an unknown hash. */
export const ABSENT_KEY_ID = 'key_-';

/**
 * The key carrying `hash`, or null: two point reads by `_id`, never a scan. An unknown
 * hash costs the same two reads (the second of an id that cannot exist), so the time of
 * a cache miss does not tell a caller whether a value is a real key
 * (test/src/security/verify-timing.test.ts).
 */
export async function findKeyByHash(conn: Connection, hash: string): Promise<ApiKeyDoc | null> {
  const entry = await keyHashModel(conn).findOne({ _id: hash }, { keyId: 1 }).lean<Pick<KeyHashDoc, 'keyId'>>().exec();
  const doc = await apiKeyModel(conn).findOne({ _id: entry?.keyId ?? ABSENT_KEY_ID }).lean<ApiKeyDoc>().exec();
  return entry && doc && doc.hash === hash ? doc : null;
}

const MIGRATION_ID = 'api_key_hashes:v1';

/**
 * Boot task: builds the entries of keys stored before the index existed (one scan of
 * the keys, once per database; a marker records that it ran). Idempotent.
 */
export async function backfillKeyHashIndex(conn: Connection, now = new Date()): Promise<number> {
  const markers = conn.collection<{ _id: string; at: Date }>('schema_migrations');
  if (await markers.findOne({ _id: MIGRATION_ID })) return 0;
  const model = keyHashModel(conn);
  let added = 0;
  const cursor = apiKeyModel(conn).find({}, { _id: 1, orgId: 1, hash: 1 }).lean<Pick<ApiKeyDoc, '_id' | 'orgId' | 'hash'>[]>().cursor();
  for await (const k of cursor) {
    const res = await model.updateOne({ _id: k.hash }, { $setOnInsert: { keyId: k._id, orgId: k.orgId, createdAt: now } }, { upsert: true }).exec();
    added += res.upsertedCount;
  }
  await markers.updateOne({ _id: MIGRATION_ID }, { $set: { at: now } }, { upsert: true });
  return added;
}
