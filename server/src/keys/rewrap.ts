import type { Connection, Model } from 'mongoose';
import { rewrap, type Kek, type Sealed } from '../infra/crypto';
import { apiKeyModel, type ApiKeyDoc } from './key.model';
import { keyRequestModel, type KeyRequestDoc } from '../requests/request.model';

/**
 * Re-wraps every data key of the keys domain under a new key-encryption key (KEK
 * rotation, docs/KEYS.md): recoverable copies (`api_keys.sealed`), unclaimed one-time
 * secrets (`api_keys.claimSealed`) and imported values waiting for approval
 * (`key_requests.customSealed`). Only `wrappedKey` changes; ciphertexts stay. Safe to
 * run again (values already under the new KEK are skipped). Alongside running servers
 * pass `lock` (the CLI does: `withEntityLock` per record): FerretDB does not isolate
 * concurrent updates of one document, so an unlocked write could undo a concurrent
 * claim or revocation (docs/MONGODB-PORTABILITY.md). Each write also matches the
 * wrapped value it read, so a record changed in between is read again.
 */
export type RecordLock = <T>(recordId: string, fn: () => Promise<T>) => Promise<T>;
const noLock: RecordLock = (_id, fn) => fn();

export interface RewrapReport {
  rewrapped: number;
  alreadyCurrent: number;
  failed: { collection: string; id: string; field: string; error: string }[];
}

type Field<T> = { name: keyof T & string; aad: (doc: T) => string };

const KEY_FIELDS: Field<ApiKeyDoc>[] = [
  { name: 'sealed', aad: (d) => d._id },
  { name: 'claimSealed', aad: (d) => d._id },
];
const REQUEST_FIELDS: Field<KeyRequestDoc>[] = [{ name: 'customSealed', aad: (d) => d._id }];

const BATCH = 200;
const ATTEMPTS = 3;

export async function rewrapAll(conn: Connection, fromKeks: readonly Kek[], toKek: Kek, opts: { lock?: RecordLock } = {}): Promise<RewrapReport> {
  const lock = opts.lock ?? noLock;
  const report: RewrapReport = { rewrapped: 0, alreadyCurrent: 0, failed: [] };
  const from = [...fromKeks, toKek];
  await rewrapCollection(apiKeyModel(conn), 'api_keys', KEY_FIELDS, from, toKek, report, lock);
  await rewrapCollection(keyRequestModel(conn), 'key_requests', REQUEST_FIELDS, from, toKek, report, lock);
  return report;
}

async function rewrapCollection<T extends { _id: string }>(
  model: Model<T>,
  collection: string,
  fields: Field<T>[],
  from: readonly Kek[],
  to: Kek,
  report: RewrapReport,
  lock: RecordLock,
): Promise<void> {
  const anySealed = { $or: fields.map((f) => ({ [f.name]: { $ne: null } })) };
  let after = '';
  for (;;) {
    const batch = (await model.find({ ...anySealed, _id: { $gt: after } } as never).sort({ _id: 1 }).limit(BATCH).lean().exec()) as unknown as T[];
    if (batch.length === 0) return;
    for (const doc of batch) {
      await lock(doc._id, async () => {
        // Re-read under the lock: the batch may be stale by now.
        const fresh = (await model.findOne({ _id: doc._id } as never).lean().exec()) as unknown as T | null;
        if (fresh) for (const f of fields) await rewrapField(model, collection, fresh, f, from, to, report);
      });
    }
    after = batch[batch.length - 1]?._id ?? after;
  }
}

async function rewrapField<T extends { _id: string }>(
  model: Model<T>,
  collection: string,
  first: T,
  f: Field<T>,
  from: readonly Kek[],
  to: Kek,
  report: RewrapReport,
): Promise<void> {
  let doc: T | null = first;
  for (let attempt = 0; attempt < ATTEMPTS && doc; attempt++) {
    const sealed = doc[f.name] as unknown as Sealed | null;
    if (!sealed) return;
    if (sealed.kekId === to.id) {
      report.alreadyCurrent++;
      return;
    }
    let next: Sealed;
    try {
      next = rewrap(from, to, f.aad(doc), sealed);
    } catch (e) {
      report.failed.push({ collection, id: doc._id, field: f.name, error: (e as Error).message });
      return;
    }
    const res = await model.updateOne({ _id: doc._id, [`${f.name}.wrappedKey`]: sealed.wrappedKey } as never, { $set: { [f.name]: next } } as never).exec();
    if (res.matchedCount === 1) {
      report.rewrapped++;
      return;
    }
    doc = (await model.findOne({ _id: doc._id } as never).lean().exec()) as unknown as T | null;
  }
  if (doc) report.failed.push({ collection, id: doc._id, field: f.name, error: 'changed concurrently on every attempt; run again' });
}
