import type { Document } from 'mongodb';
import type { AuditEventDoc } from '../audit/audit.model';
import { GENESIS_HASH, eventHash, payloadDigest } from '../audit/audit-hash';
import { chainMaterial, toRecord, type AuditEventRecord } from '../audit/audit-record';
import { ndjsonLine } from '../audit/audit-export';
import type { AuditRange } from './archive-manifest';
import type { ArchiveUnit, ChainCheck } from './archiver';

export const AUDIT_COLLECTION = 'audit_events';
/** Events per audit archive: ranges are split so one file stays readable. */
export const AUDIT_EVENTS_PER_ARCHIVE = 10_000;

/**
 * The audit trail is copied, never deleted (docs/AUDIT.md): each archive is a
 * contiguous seq range in the same canonical NDJSON as `auditExport`, and records the
 * chain position before it (`prevHash`) and at its end (`checkpoint`). The read-back
 * re-verifies the range as a chain continuing from the previous archive, so archived
 * ranges stay verifiable offline and `verifyAuditChain(from: checkpoint)` resumes
 * exactly where the archive ends.
 */
export function auditUnit(orgId: string, after: { seq: number; hash: string }, upToSeq: number, firstAt: Date, cutoff: Date): ArchiveUnit {
  return {
    orgId,
    collection: AUDIT_COLLECTION,
    timeField: 'time',
    keyId: null,
    from: firstAt,
    to: cutoff,
    filter: { orgId, seq: { $gt: after.seq, $lte: upToSeq } },
    sortField: 'seq',
    maxRecords: AUDIT_EVENTS_PER_ARCHIVE,
    serialize: (doc: Document) => ndjsonLine(toRecord(doc as unknown as AuditEventDoc)).trimEnd(),
    deletesRecords: false,
    chain: { start: () => chainCheck(orgId, after) },
  };
}

/** The chain position before seq 1. */
export const CHAIN_START = { seq: 0, hash: GENESIS_HASH };

function chainCheck(orgId: string, after: { seq: number; hash: string }): ChainCheck {
  let seq = after.seq;
  let hash = after.hash;
  return {
    line(text: string) {
      const e = JSON.parse(text) as Omit<AuditEventRecord, 'time'> & { time: string };
      const where = `audit event ${e.seq}`;
      if (e.orgId !== orgId) throw new Error(`${where} belongs to another organization`);
      if (e.seq !== seq + 1) throw new Error(`audit event ${seq + 1} is missing from the range (found ${e.seq})`);
      if (e.prevHash !== hash) throw new Error(`${where}: prevHash does not continue the chain`);
      if (payloadDigest(e.before, e.after) !== e.payloadDigest) throw new Error(`${where}: payload does not match its digest`);
      if (eventHash(chainMaterial({ ...e, time: new Date(e.time) })) !== e.hash) throw new Error(`${where}: contents do not match its hash`);
      seq = e.seq;
      hash = e.hash;
    },
    range(): AuditRange | null {
      if (seq === after.seq) return null;
      return { fromSeq: after.seq + 1, toSeq: seq, prevHash: after.hash, checkpoint: { seq, hash } };
    },
  };
}
