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
  return `${CSV_COLUMNS.join(',')}\r\n`;
}

export function csvRow(e: AuditEventRecord): string {
  const cells: (string | number | null)[] = [
    e.seq, e.id, e.time.toISOString(), e.actor.type, e.actor.id, e.action, e.target.type, e.target.id,
    e.requestId, e.ip, e.userAgent,
    e.before === null ? null : canonicalJson(e.before),
    e.after === null ? null : canonicalJson(e.after),
    e.payloadDigest, e.prevHash, e.hash,
  ];
  return `${cells.map(csvCell).join(',')}\r\n`;
}

/** RFC 4180 quoting, plus a leading `'` on text a spreadsheet would run as a formula. */
export function csvCell(v: string | number | null): string {
  if (v === null) return '';
  let s = String(v);
  // User agents and payloads are caller-controlled: never let `=cmd|…` execute in Excel.
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
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
