import type { AnyBulkWriteOperation, Connection } from 'mongoose';
import { auditEventModel, type AuditEventDoc } from './audit.model';

const MIGRATION_ID = 'audit-event-id-copies-1';
const BATCH = 500;
/** The indexes the copies replace: dotted paths the embedded store cannot push down. */
const REPLACED_INDEXES = ['orgId_1_actor.id_1_seq_-1', 'orgId_1_target.id_1_seq_-1'];

/**
 * Gives events stored before `actorId` / `targetId` existed their top-level copies, once per
 * database (a marker in `schema_migrations` records that it ran), and drops the dotted
 * indexes they replace. One pass over the collection in `_id` order, written in batches;
 * idempotent, so a boot interrupted half-way simply runs it again. Returns events updated.
 */
export async function backfillAuditIdCopies(conn: Connection, now = new Date()): Promise<number> {
  const markers = conn.collection<{ _id: string; at: Date }>('schema_migrations');
  if (await markers.findOne({ _id: MIGRATION_ID })) return 0;
  const model = auditEventModel(conn);
  let updated = 0;
  let ops: AnyBulkWriteOperation<AuditEventDoc>[] = [];
  const flush = async () => {
    if (ops.length === 0) return;
    const res = await model.bulkWrite(ops, { ordered: false });
    updated += res.modifiedCount;
    ops = [];
  };
  type Ids = Pick<AuditEventDoc, '_id' | 'actor' | 'target' | 'actorId' | 'targetId'>;
  const cursor = model.find({}, { _id: 1, actor: 1, target: 1, actorId: 1, targetId: 1 }).sort({ _id: 1 }).lean<Ids[]>().cursor();
  for await (const e of cursor) {
    if (e.actorId === e.actor.id && e.targetId === e.target.id) continue;
    ops.push({ updateOne: { filter: { _id: e._id }, update: { $set: { actorId: e.actor.id, targetId: e.target.id } } } });
    if (ops.length >= BATCH) await flush();
  }
  await flush();
  const existing = new Set((await model.collection.indexes()).map((i) => i.name));
  for (const name of REPLACED_INDEXES) if (existing.has(name)) await model.collection.dropIndex(name);
  await markers.updateOne({ _id: MIGRATION_ID }, { $set: { at: now } }, { upsert: true });
  return updated;
}
