import type { Connection } from 'mongoose';
import { isAppError } from '../infra/app-error';
import { apiKeyModel, type ApiKeyDoc } from './key.model';
import { claimKeyHash, keyHashModel } from './key-hash-index';
import { importRefModel, type ImportRefDoc } from './key-import.model';
import { conflict, itemError } from './key-import-item';
import type { Slot } from './key-import-match';
import { insertUnordered, readKeys, releaseEntries, resolveRefClash } from './key-import-store';
import { duplicateValueConflict } from './key-issue';

/** A key about to be created for one item. */
export interface Planned {
  slot: Slot;
  doc: ApiKeyDoc;
  plaintext: string;
}

export interface Written {
  created: Planned[];
  /** An infrastructure failure part-way: `created` are the keys that landed anyway. */
  failure?: unknown;
}

/**
 * Writes the planned keys in three unordered inserts, in the order that keeps every
 * invariant if the process dies in between: the identity refs, then the hash index
 * entries (docs/KEYS.md, "Hash index": written first), then the keys. An item refused at
 * any step gets its error (or turns out to be an existing key) and what was written for
 * it is removed, so no item is half-written; at most a crash leaves orphan entries, which
 * are checked on read and taken over after a minute. Sets `slot.error` / `slot.existing`.
 */
export async function writeKeys(conn: Connection, orgId: string, planned: Planned[], attach: Slot[], now: Date): Promise<Written> {
  const refs: { _id: string; keyId: string }[] = [];
  const hashes: { _id: string; keyId: string }[] = [];
  let created: Planned[] = [];
  try {
    await writeRefs(conn, orgId, planned, attach, now, refs);

    let live = planned.filter(pending);
    const refusedHashes = await insertUnordered(keyHashModel(conn), live.map((p) => ({ _id: p.doc.hash, keyId: p.doc._id, orgId, createdAt: now })));
    live.forEach((p, i) => refusedHashes.has(i) || hashes.push({ _id: p.doc.hash, keyId: p.doc._id }));
    for (const i of refusedHashes) {
      const p = live[i] as Planned;
      try {
        // Held by a live key (a concurrent import of the same value): CONFLICT; a stale orphan is taken over.
        await claimKeyHash(conn, { hash: p.doc.hash, keyId: p.doc._id, orgId }, now);
        hashes.push({ _id: p.doc.hash, keyId: p.doc._id });
      } catch (e) {
        if (!isAppError(e)) throw e;
        p.slot.error = itemError(e);
      }
    }

    live = live.filter(pending);
    const refusedKeys = await insertUnordered(apiKeyModel(conn), live.map((p) => p.doc));
    for (const i of refusedKeys) (live[i] as Planned).slot.error = conflict(duplicateValueConflict().message);
    created = live.filter((_, i) => !refusedKeys.has(i));
  } catch (failure) {
    // Which keys landed before the failure? They exist and keep their entries.
    const landed = await readKeys(conn, planned.map((p) => p.doc._id)).catch(() => null);
    if (!landed) return { created: [], failure };
    created = planned.filter((p) => landed.has(p.doc._id));
    await release(conn, refs, hashes, created).catch(() => undefined);
    return { created, failure };
  }
  await release(conn, refs, hashes, created);
  return { created };
}

function pending(p: Planned): boolean {
  return p.slot.error === null && p.slot.existing === null;
}

/** The identity refs of planned keys (and of existing keys getting their externalId). */
async function writeRefs(conn: Connection, orgId: string, planned: Planned[], attach: Slot[], now: Date, written: { _id: string; keyId: string }[]): Promise<void> {
  const withRef = planned.filter((p) => p.slot.ref !== null);
  const refDoc = (s: Slot, keyId: string): ImportRefDoc => ({
    _id: (s.ref as NonNullable<Slot['ref']>).id,
    orgId,
    kind: (s.ref as NonNullable<Slot['ref']>).kind,
    externalId: s.externalId,
    keyId,
    createdAt: now,
  });
  const docs = [...withRef.map((p) => refDoc(p.slot, p.doc._id)), ...attach.map((s) => refDoc(s, (s.existing as ApiKeyDoc)._id))];
  const refused = await insertUnordered(importRefModel(conn), docs);
  withRef.forEach((p, i) => refused.has(i) || written.push({ _id: docs[i]?._id ?? '', keyId: p.doc._id }));
  for (const i of refused) {
    // An attach refused: another request gave that externalId a key meanwhile; the item is still the key it matched.
    if (i >= withRef.length) continue;
    const p = withRef[i] as Planned;
    const entry = docs[i] as ImportRefDoc;
    const clash = await resolveRefClash(conn, entry, now);
    if (clash.kind === 'mine') written.push({ _id: entry._id, keyId: p.doc._id });
    else if (clash.kind === 'key') {
      if (p.slot.hash !== null && clash.key.hash !== p.slot.hash) {
        p.slot.error = conflict(`externalId ${JSON.stringify(p.slot.externalId)} was already imported as key ${clash.key._id} with a different value`);
      } else p.slot.existing = clash.key;
    } else p.slot.error = conflict(`${p.slot.externalId !== null ? `externalId ${JSON.stringify(p.slot.externalId)}` : 'this item'} is being imported by another request; retry`);
  }
}

/** Removes the refs and hash entries written for planned keys that were not created. */
async function release(conn: Connection, refs: { _id: string; keyId: string }[], hashes: { _id: string; keyId: string }[], created: Planned[]): Promise<void> {
  const made = new Set(created.map((p) => p.doc._id));
  await releaseEntries(importRefModel(conn), refs.filter((r) => !made.has(r.keyId)));
  await releaseEntries(keyHashModel(conn), hashes.filter((h) => !made.has(h.keyId)));
}
