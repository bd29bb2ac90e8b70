import type { QueryFilter } from 'mongoose';
import { AppError } from '../infra/app-error';
import type { AuditActor } from './audit-input';
import type { AuditEventDoc } from './audit.model';

/** What `auditEvents` and the exports can narrow by; every field optional, all ANDed. */
export interface AuditFilter {
  actorType?: AuditActor['type'];
  actorId?: string;
  targetType?: string;
  targetId?: string;
  /** Exact action, e.g. `key.revoked`. */
  action?: string;
  /** Inclusive lower bound on event time. */
  from?: Date;
  /** Exclusive upper bound on event time. */
  to?: Date;
}

export interface AuditPageArgs {
  /** 1..200; defaults to 50. */
  first?: number;
  /** Opaque cursor from a previous page's `pageInfo.endCursor`. */
  after?: string | null;
}

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;

const CURSOR_PREFIX = 'audit:';

export function encodeCursor(seq: number): string {
  return Buffer.from(`${CURSOR_PREFIX}${seq}`, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): number {
  const raw = Buffer.from(cursor, 'base64url').toString('utf8');
  const seq = raw.startsWith(CURSOR_PREFIX) ? Number(raw.slice(CURSOR_PREFIX.length)) : Number.NaN;
  if (!Number.isSafeInteger(seq) || seq < 1) throw AppError.badInput('invalid cursor', [{ path: ['after'], message: 'not a cursor this API issued' }]);
  return seq;
}

export function pageSize(first: number | undefined): number {
  const n = first ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(n) || n < 1 || n > MAX_PAGE_SIZE) {
    throw AppError.badInput('invalid page size', [{ path: ['first'], message: `must be between 1 and ${MAX_PAGE_SIZE}` }]);
  }
  return n;
}

/** The MongoDB filter for one organization's events. orgId always comes from the caller's principal. */
export function toMongoFilter(orgId: string, f: AuditFilter = {}): QueryFilter<AuditEventDoc> {
  if (f.from && f.to && f.from.getTime() >= f.to.getTime()) {
    throw AppError.badInput('empty time range', [{ path: ['filter', 'to'], message: 'must be after `from`' }]);
  }
  const q: QueryFilter<AuditEventDoc> = { orgId };
  if (f.actorType) q['actor.type'] = f.actorType;
  // The top-level copy finds the rows through its index; the hashed nested id decides.
  if (f.actorId) Object.assign(q, { actorId: f.actorId, 'actor.id': f.actorId });
  if (f.targetType) q['target.type'] = f.targetType;
  if (f.targetId) Object.assign(q, { targetId: f.targetId, 'target.id': f.targetId });
  if (f.action) q.action = f.action;
  if (f.from || f.to) {
    const time: { $gte?: Date; $lt?: Date } = {};
    if (f.from) time.$gte = f.from;
    if (f.to) time.$lt = f.to;
    q.time = time;
  }
  return q;
}
