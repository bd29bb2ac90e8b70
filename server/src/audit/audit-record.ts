import type { AuditActor, AuditTarget } from './audit-input';
import type { AuditEventDoc } from './audit.model';
import type { ChainMaterial } from './audit-hash';

/** An audit event as services, resolvers and exports see it. */
export interface AuditEventRecord {
  id: string;
  /** Version of the hashed material (CHAIN_VERSION at write time). */
  v: number;
  orgId: string;
  seq: number;
  time: Date;
  actor: AuditActor;
  action: string;
  target: AuditTarget;
  requestId: string | null;
  ip: string | null;
  userAgent: string | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  payloadDigest: string;
  prevHash: string;
  hash: string;
}

export function toRecord(d: AuditEventDoc): AuditEventRecord {
  return {
    id: d._id,
    v: d.v,
    orgId: d.orgId,
    seq: d.seq,
    time: d.time,
    actor: { type: d.actor.type, id: d.actor.id },
    action: d.action,
    target: { type: d.target.type, id: d.target.id },
    requestId: d.requestId ?? null,
    ip: d.ip ?? null,
    userAgent: d.userAgent ?? null,
    before: d.before ?? null,
    after: d.after ?? null,
    payloadDigest: d.payloadDigest,
    prevHash: d.prevHash,
    hash: d.hash,
  };
}

/** What the stored event claims its hash covers; missing optional fields hash as null. */
export function chainMaterial(r: AuditEventRecord): ChainMaterial {
  return {
    v: r.v,
    orgId: r.orgId,
    seq: r.seq,
    prevHash: r.prevHash,
    id: r.id,
    time: r.time,
    actor: r.actor,
    action: r.action,
    target: r.target,
    meta: { requestId: r.requestId, ip: r.ip, userAgent: r.userAgent },
    payloadDigest: r.payloadDigest,
  };
}
