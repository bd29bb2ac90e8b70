import { z } from 'zod';
import { Scope } from '@latchkey/schema';
import type { Principal } from '../access/principal';
import { AppError } from '../infra/app-error';
import { hasScope } from '../access/principal';
import { parseInput } from '../access/validation';
import { dropNulls } from '../keys/key-spec';
import { nowOf, type KeyDeps } from '../keys/key-deps';
import type { KeyRequestDoc } from './request.model';
import { loadRequest, requests } from './request-store';

const STATUSES = ['pending_approval', 'approved', 'rejected', 'claimed', 'claim_expired'] as const;
const FilterSchema = z.object({
  mine: z.boolean({ error: 'must be true or false' }).optional(),
  pendingForMe: z.boolean({ error: 'must be true or false' }).optional(),
  status: z.enum(STATUSES, { error: `must be one of ${STATUSES.join(', ')}` }).optional(),
});
const PageSchema = z.object({
  first: z.number().int('must be an integer').min(1, 'must be at least 1').max(100, 'must be at most 100').default(20),
  after: z.string().regex(/^req_[a-z0-9]{1,64}$/, 'is not a cursor this API issued').optional(),
});

export interface RequestPage {
  nodes: KeyRequestDoc[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

/**
 * Reading requests, newest first. Holders of keys:read or keys:approve see every
 * request of the organization; anyone else only their own.
 */
export class RequestQueries {
  constructor(private readonly deps: KeyDeps) {}

  async list(principal: Principal, filter: unknown = {}, page: { first?: number | null; after?: string | null } = {}): Promise<RequestPage> {
    const f = parseInput(FilterSchema, dropNulls(filter ?? {}), ['filter']);
    const p = parseInput(PageSchema, dropNulls(page), []);
    const me = principal.userId ?? principal.id;
    const now = nowOf(this.deps);
    const and: Record<string, unknown>[] = [{ orgId: principal.orgId }];
    if (f.mine || !seesAll(principal)) and.push({ requesterId: me });
    if (f.pendingForMe) {
      if (!hasScope(principal, Scope.keysApprove)) return { nodes: [], pageInfo: { hasNextPage: false, endCursor: null } };
      and.push({ status: 'pending_approval', requesterId: { $ne: me } });
    }
    if (f.status === 'approved') and.push({ status: 'approved', claimExpiresAt: { $gt: now } });
    else if (f.status === 'claim_expired') and.push({ $or: [{ status: 'claim_expired' }, { status: 'approved', claimExpiresAt: { $lte: now } }] });
    else if (f.status) and.push({ status: f.status });
    if (p.after) and.push({ _id: { $lt: p.after } });
    const rows = await requests(this.deps).find({ $and: and }).sort({ _id: -1 }).limit(p.first + 1).lean<KeyRequestDoc[]>().exec();
    // "Already approved by me" is filtered here: one person's approvals are few, and it
    // keeps the query to operators FerretDB and MongoDB treat alike on arrays.
    const visible = f.pendingForMe ? rows.filter((r) => !r.approvals.some((a) => a.userId === me)) : rows;
    const nodes = visible.slice(0, p.first);
    return { nodes, pageInfo: { hasNextPage: rows.length > p.first, endCursor: rows.slice(0, p.first).at(-1)?._id ?? null } };
  }

  /** NOT_FOUND for other organizations' requests and, for non-readers, other people's. */
  async get(principal: Principal, id: string): Promise<KeyRequestDoc> {
    const r = await loadRequest(this.deps, principal, id);
    if (!seesAll(principal) && r.requesterId !== (principal.userId ?? principal.id)) throw AppError.notFound(`key request ${id}`);
    return r;
  }
}

function seesAll(p: Principal): boolean {
  return hasScope(p, Scope.keysRead) || hasScope(p, Scope.keysApprove);
}
