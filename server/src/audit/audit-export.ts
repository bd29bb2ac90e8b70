import { csvRecords } from '../infra/csv';
import { canonicalJson } from './canonical-json';
import type { AuditEventRecord } from './audit-record';

/**
 * One NDJSON line per event, in canonical JSON and carrying every hashed field, so an
 * exported range can be re-verified offline without access to the database.
 */
export function ndjsonLine(e: AuditEventRecord): string {
  return `${canonicalJson(exportShape(e))}\n`;
}

export const CSV_COLUMNS = [
  'seq', 'id', 'time', 'actorType', 'actorId', 'action', 'targetType', 'targetId',
  'requestId', 'ip', 'userAgent', 'before', 'after', 'payloadDigest', 'prevHash', 'hash',
] as const;

export function csvHeader(): string {
  return csvRecords([CSV_COLUMNS]);
}

/** One event as a CSV record (infra/csv: user agents and payloads are caller text, formulas are defused). */
export function csvRow(e: AuditEventRecord): string {
  return csvRecords([[
    e.seq, e.id, e.time.toISOString(), e.actor.type, e.actor.id, e.action, e.target.type, e.target.id,
    e.requestId, e.ip, e.userAgent,
    e.before === null ? null : canonicalJson(e.before),
    e.after === null ? null : canonicalJson(e.after),
    e.payloadDigest, e.prevHash, e.hash,
  ]]);
}

function exportShape(e: AuditEventRecord): Record<string, unknown> {
  return {
    v: e.v,
    orgId: e.orgId,
    seq: e.seq,
    id: e.id,
    time: e.time.toISOString(),
    actor: e.actor,
    action: e.action,
    target: e.target,
    requestId: e.requestId,
    ip: e.ip,
    userAgent: e.userAgent,
    before: e.before,
    after: e.after,
    payloadDigest: e.payloadDigest,
    prevHash: e.prevHash,
    hash: e.hash,
  };
}
