import type { Connection } from 'mongoose';
import type { ApiKeyDoc } from './key.model';
import type { ImportRefKind } from './key-import.model';
import { conflict, type ImportItemError, type ItemPlan } from './key-import-item';
import { externalIdsOf, readHashEntries, readKeys, readRefs } from './key-import-store';
import { duplicateValueConflict } from './key-issue';

/**
 * Which items of an import are already keys (docs/KEY-IMPORT.md, "Idempotency"). An item
 * is identified by its externalId and by its imported value (its hash); in a call with
 * an idempotencyKey an item without either is identified by its position. Every read is
 * one `_id: {$in}` per collection for the whole call, plus one `{orgId, keyId: {$in}}`
 * on the refs' index.
 */
export interface Slot {
  index: number;
  externalId: string | null;
  plan: ItemPlan | null;
  /** HMAC of the imported value (null for generated keys). */
  hash: string | null;
  ref: { id: string; kind: ImportRefKind } | null;
  /** A later item that is the same as an earlier one answers like it (existing). */
  aliasOf: number | null;
  /** Decided: the key it already is, or its error. */
  existing: ApiKeyDoc | null;
  error: ImportItemError | null;
  /** An existing key found by value that has no externalId yet gets this one. */
  attach: boolean;
}

export function isOpen(s: Slot): boolean {
  return s.plan !== null && s.aliasOf === null && s.existing === null && s.error === null;
}

/**
 * Items repeated inside one call: the same externalId and the same value (or both
 * generated), or the same value where one of them has no externalId, is the same item,
 * answered once; the same externalId with another value, or the same value under
 * another externalId, is an error of the later item.
 */
export function markRepeats(slots: Slot[]): void {
  const byExternal = new Map<string, Slot>();
  const byHash = new Map<string, Slot>();
  for (const s of slots) {
    if (!s.plan) continue;
    const first = (s.externalId !== null ? byExternal.get(s.externalId) : undefined) ?? (s.hash !== null ? byHash.get(s.hash) : undefined);
    if (first) {
      // An item without an externalId is identified by its value alone (as against stored keys).
      const sameValue = first.hash === s.hash;
      const sameExternal = first.externalId === s.externalId || first.externalId === null || s.externalId === null;
      if (sameValue && sameExternal) s.aliasOf = first.index;
      else s.error = conflict(`item ${first.index} has the same ${sameValue ? 'value with a different externalId' : 'externalId with a different value'}`);
      continue;
    }
    if (s.externalId !== null) byExternal.set(s.externalId, s);
    if (s.hash !== null) byHash.set(s.hash, s);
  }
}

/** Decides `existing` / `error` / `attach` for every open slot from what is stored. */
export async function matchStored(conn: Connection, orgId: string, slots: Slot[]): Promise<void> {
  const open = slots.filter(isOpen);
  if (open.length === 0) return;
  const [refs, entries] = await Promise.all([
    readRefs(conn, open.flatMap((s) => (s.ref ? [s.ref.id] : []))),
    readHashEntries(conn, open.flatMap((s) => (s.hash ? [s.hash] : []))),
  ]);
  const keys = await readKeys(conn, [...[...refs.values()].map((r) => r.keyId), ...[...entries.values()].map((e) => e.keyId)]);
  const byValue = (s: Slot): ApiKeyDoc | undefined => {
    const entry = s.hash ? entries.get(s.hash) : undefined;
    const k = entry ? keys.get(entry.keyId) : undefined;
    return k && k.hash === s.hash ? k : undefined;
  };
  const needExternal = open.filter((s) => s.externalId !== null && !refs.has(s.ref?.id ?? '')).flatMap((s) => byValue(s)?._id ?? []);
  const externalOf = await externalIdsOf(conn, orgId, needExternal);

  for (const s of open) {
    const ref = s.ref ? refs.get(s.ref.id) : undefined;
    const refKey = ref ? keys.get(ref.keyId) : undefined;
    if (refKey && refKey.orgId === orgId) {
      if (s.hash !== null && refKey.hash !== s.hash) {
        s.error = conflict(`externalId ${JSON.stringify(s.externalId)} was already imported as key ${refKey._id} with a different value`);
      } else s.existing = refKey;
      continue;
    }
    const valueKey = byValue(s);
    if (!valueKey) continue; // to create (a ref without its key is decided when it is written)
    if (valueKey.orgId !== orgId) {
      s.error = conflict(duplicateValueConflict().message);
      continue;
    }
    const had = externalOf.get(valueKey._id);
    if (s.externalId !== null && had !== undefined && had !== s.externalId) {
      s.error = conflict(`this value is already key ${valueKey._id}, imported as externalId ${JSON.stringify(had)}`);
      continue;
    }
    s.existing = valueKey;
    s.attach = s.ref?.kind === 'external' && ref === undefined;
  }
}
