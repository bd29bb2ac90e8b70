import { Schema, type Connection, type Model } from 'mongoose';

/** One stored audit event. `_id` is the public `evt_…` id. */
export interface AuditEventDoc {
  _id: string;
  v: number;
  orgId: string;
  /** 1, 2, 3 … per organization; unique with orgId — the chain's compare-and-set. */
  seq: number;
  time: Date;
  actor: { type: 'user' | 'key' | 'system'; id: string };
  action: string;
  target: { type: string; id: string };
  requestId: string | null;
  ip: string | null;
  userAgent: string | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  payloadDigest: string;
  prevHash: string;
  hash: string;
  /**
   * Copies of `actor.id` and `target.id` at the top level, for the per-actor and per-target
   * indexes: the embedded store pushes down top-level fields only (docs/MONGODB-PORTABILITY.md).
   * Not part of the hash; every query filters on the hashed nested field as well, so a copy
   * that disagrees can only hide an event from a filtered listing, never show a wrong one.
   * Events stored before they existed get them once, at boot (audit-id-copies.ts).
   */
  actorId?: string;
  targetId?: string;
}

// `typeKey: '$type'` below: in `{type, id}` sub-objects `type` is a field, not a schema type.
const str = { $type: String, required: true };
const optStr = { $type: String, default: null };
const ref = { type: str, id: str };

const auditEventSchema = new Schema<AuditEventDoc>(
  {
    _id: str,
    v: { $type: Number, required: true },
    orgId: str,
    seq: { $type: Number, required: true },
    time: { $type: Date, required: true },
    actor: { type: { $type: String, required: true, enum: ['user', 'key', 'system'] }, id: str },
    action: str,
    target: ref,
    requestId: optStr,
    ip: optStr,
    userAgent: optStr,
    // Mixed, stored verbatim: the payload digest is recomputed from what comes back.
    before: { $type: Schema.Types.Mixed, default: null },
    after: { $type: Schema.Types.Mixed, default: null },
    payloadDigest: str,
    prevHash: str,
    hash: str,
    actorId: { $type: String },
    targetId: { $type: String },
  },
  {
    collection: 'audit_events',
    versionKey: false,
    // `{}` must survive the round trip or the payload digest would no longer match.
    minimize: false,
    typeKey: '$type',
  },
);

// The only "exactly one" primitive FerretDB honours under concurrency
// (docs/MONGODB-PORTABILITY.md): two writers can never both own seq N of one org.
auditEventSchema.index({ orgId: 1, seq: 1 }, { unique: true });
// Head lookup and newest-first listing.
auditEventSchema.index({ orgId: 1, seq: -1 });
// An actor's and an entity's history, newest first (a key's page in the console).
auditEventSchema.index({ orgId: 1, actorId: 1, seq: -1 });
auditEventSchema.index({ orgId: 1, targetId: 1, seq: -1 });
auditEventSchema.index({ orgId: 1, action: 1, seq: -1 });

export function auditEventModel(conn: Connection): Model<AuditEventDoc> {
  return (conn.models.AuditEvent as Model<AuditEventDoc> | undefined) ?? conn.model<AuditEventDoc>('AuditEvent', auditEventSchema);
}
