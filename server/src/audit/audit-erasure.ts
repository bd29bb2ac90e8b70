import type { Model } from 'mongoose';
import type { AuditActor, AuditInput, AuditMeta } from './audit-input';
import type { AuditEventDoc } from './audit.model';
import { canonicalJson } from './canonical-json';

/**
 * Erasure of personal data from the audit trail (docs/AUDIT.md "erasure",
 * docs/PERSONAL-DATA.md). The chain hash commits to `payloadDigest`, not to the
 * payload, so `before`/`after` can be replaced by a tombstone while every `hash` and
 * `prevHash` still verifies. So that erasure cannot become a hiding place, an event's
 * payload may differ from its digest only when (1) it IS the tombstone and (2) a LATER
 * event of the same chain, `audit.payload_erased`, names it — and that event is itself
 * hash-chained, so removing or editing it breaks verification.
 */
export const PAYLOAD_ERASED_ACTION = 'audit.payload_erased';
export const ERASED_PAYLOAD: Readonly<Record<string, unknown>> = Object.freeze({ erased: true });
/** Event ids per erasure record: far below the audit payload limit. */
const IDS_PER_RECORD = 500;
const SCAN_BATCH = 500;

export interface ErasureSubject {
  /** Events about this entity (target.id) are erased whole. */
  targetId: string;
  /** Any other event whose payload mentions one of these values (e.g. the email) too. */
  mentions: readonly string[];
  /** Recorded on the erasure events (e.g. `{type: 'user', id}`), never personal data. */
  subject: { type: string; id: string };
}

export interface ErasureResult {
  erasedEventIds: string[];
  /** seq of the erasure records appended. */
  recordSeqs: number[];
}

/**
 * Finds the organization's events carrying the subject's personal data, appends the
 * erasure records FIRST (so a crash part-way leaves covered-but-not-yet-blanked events,
 * which still verify) and then blanks their payloads. Rerunning is harmless: blanked
 * events are skipped. Erasure records themselves are never erased.
 */
export async function eraseAuditPayloads(
  model: Model<AuditEventDoc>,
  append: (i: AuditInput) => Promise<{ seq: number }>,
  orgId: string,
  who: ErasureSubject,
  actor: AuditActor,
  meta?: AuditMeta,
): Promise<ErasureResult> {
  const needles = who.mentions.map((m) => m.trim().toLowerCase()).filter((m) => m.length >= 3);
  const ids: string[] = [];
  let last = 0;
  for (;;) {
    const docs = await model
      .find({ orgId, seq: { $gt: last } }, { _id: 1, seq: 1, action: 1, target: 1, before: 1, after: 1 })
      .sort({ seq: 1 })
      .limit(SCAN_BATCH)
      .lean<Pick<AuditEventDoc, '_id' | 'seq' | 'action' | 'target' | 'before' | 'after'>[]>()
      .exec();
    for (const d of docs) {
      last = d.seq;
      if (d.action === PAYLOAD_ERASED_ACTION || isTombstone(d.before, d.after)) continue;
      if (d.target.id === who.targetId) ids.push(d._id);
      else if (needles.length > 0) {
        const text = canonicalJson({ before: d.before, after: d.after }).toLowerCase();
        if (needles.some((n) => text.includes(n))) ids.push(d._id);
      }
    }
    if (docs.length < SCAN_BATCH) break;
  }
  const recordSeqs: number[] = [];
  for (let i = 0; i < ids.length; i += IDS_PER_RECORD) {
    const chunk = ids.slice(i, i + IDS_PER_RECORD);
    const rec = await append({
      orgId,
      actor,
      action: PAYLOAD_ERASED_ACTION,
      target: { type: who.subject.type, id: who.subject.id },
      before: null,
      after: { eventIds: chunk, reason: 'personal data erasure' },
      meta,
    });
    recordSeqs.push(rec.seq);
    // The raw collection: `erasedAt` is outside the mongoose schema on purpose (the
    // chain never covered it; it is a marker for readers, not evidence).
    await model.collection.updateMany({ orgId, _id: { $in: chunk } } as never, { $set: { before: { ...ERASED_PAYLOAD }, after: { ...ERASED_PAYLOAD }, erasedAt: new Date() } });
  }
  return { erasedEventIds: ids, recordSeqs };
}

export function isTombstone(before: unknown, after: unknown): boolean {
  const is = (v: unknown) => v !== null && typeof v === 'object' && canonicalJson(v) === canonicalJson(ERASED_PAYLOAD);
  return is(before) && is(after);
}

/**
 * For the chain verifier: event id → seq of the erasure record naming it. An event
 * whose payload no longer matches its digest is accepted only when it is a tombstone
 * named by an erasure record with a higher seq (`erasureCovers`).
 */
export async function erasureIndex(model: Model<AuditEventDoc>, orgId: string): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  const recs = await model.find({ orgId, action: PAYLOAD_ERASED_ACTION }, { seq: 1, after: 1 }).lean<Pick<AuditEventDoc, 'seq' | 'after'>[]>().exec();
  for (const r of recs) {
    const ids = (r.after as { eventIds?: unknown } | null)?.eventIds;
    if (!Array.isArray(ids)) continue;
    for (const id of ids) if (typeof id === 'string' && !out.has(id)) out.set(id, r.seq);
  }
  return out;
}

export function erasureCovers(index: ReadonlyMap<string, number>, e: { id: string; seq: number; before: unknown; after: unknown }): boolean {
  const by = index.get(e.id);
  return by !== undefined && by > e.seq && isTombstone(e.before, e.after);
}
