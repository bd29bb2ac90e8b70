import { z } from 'zod';
import { IdPrefix, KEY_SUBTYPES, KeyStatus, KeyType, type KeySubtype } from '@latchkey/schema';
import type { Principal } from '../access/principal';
import { AppError } from '../infra/app-error';
import { idSchema, parseInput, text } from '../access/validation';
import type { AuditEventPage } from '../audit/audit.service';
import type { ApiKeyDoc } from './key.model';
import { dateSchema, dropNulls, environmentSchema } from './key-spec';
import { keys, loadKey } from './key-store';
import type { KeyDeps } from './key-deps';

const SORT_FIELDS = ['createdAt', 'name', 'expiresAt', 'lastUsedAt'] as const;
type SortField = (typeof SORT_FIELDS)[number];
/** Sort fields every key has (required in the model): a cursor needs no branch for nulls. */
const NEVER_NULL: ReadonlySet<SortField> = new Set(['createdAt', 'name']);

const FilterSchema = z.object({
  type: z.enum(Object.values(KeyType) as [KeyType, ...KeyType[]], { error: 'must be application, user or system' }).optional(),
  subtype: z.enum(Object.values(KEY_SUBTYPES).flat() as [KeySubtype, ...KeySubtype[]], { error: 'must be a key subtype' }).optional(),
  status: z.enum(Object.values(KeyStatus) as [KeyStatus, ...KeyStatus[]], { error: 'must be a key status' }).optional(),
  environment: environmentSchema.optional(),
  ownerId: idSchema(IdPrefix.user).optional(),
  applicationId: idSchema(IdPrefix.application).optional(),
  tag: text(1, 64).optional(),
  expiringBefore: dateSchema.optional(),
  search: text(1, 100).optional(),
});
const SortSchema = z.object({
  field: z.enum(SORT_FIELDS, { error: `must be one of ${SORT_FIELDS.join(', ')}` }).default('createdAt'),
  direction: z.enum(['asc', 'desc'], { error: 'must be asc or desc' }).default('desc'),
});
const PageSchema = z.object({
  first: z.number().int('must be an integer').min(1, 'must be at least 1').max(100, 'must be at most 100').default(20),
  after: z.string().max(400, 'is not a cursor this API issued').optional(),
});

export interface KeyPage {
  nodes: ApiKeyDoc[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  /** Counted when called: the filter may not be one the index counts exactly (docs/MONGODB-PORTABILITY.md, rule 10). */
  totalCount: () => Promise<number>;
}

type SortValue = string | number | null;

/**
 * Listing and reading keys. The cursor is opaque base64url of `[sortValue, _id]`, so
 * pages stay stable under any sort (ties broken by the time-ordered id) and nulls
 * (no expiry, never used) sort first ascending, last descending, as MongoDB orders them.
 */
export class KeyQueries {
  constructor(private readonly deps: KeyDeps) {}

  async list(principal: Principal, filter: unknown = {}, sort: unknown = {}, page: { first?: number | null; after?: string | null } = {}): Promise<KeyPage> {
    const f = parseInput(FilterSchema, dropNulls(filter ?? {}), ['filter']);
    const s = parseInput(SortSchema, dropNulls(sort ?? {}), ['sort']);
    const p = parseInput(PageSchema, dropNulls(page), []);
    const base = toQuery(principal.orgId, f);
    const dir = s.direction === 'asc' ? 1 : -1;
    const and: Record<string, unknown>[] = [base];
    if (p.after) and.push(afterClause(s.field, dir, decodeCursor(p.after, s.field)));
    const query = and.length === 1 ? base : { $and: and };
    const rows = await keys(this.deps).find(query).sort({ [s.field]: dir, _id: dir }).limit(p.first + 1).lean<ApiKeyDoc[]>().exec();
    const nodes = rows.slice(0, p.first);
    const last = nodes.at(-1);
    const totalCount = () => keys(this.deps).countDocuments(base).exec();
    return { nodes, pageInfo: { hasNextPage: rows.length > p.first, endCursor: last ? encodeCursor(s.field, last) : null }, totalCount };
  }

  get(principal: Principal, id: string): Promise<ApiKeyDoc> {
    return loadKey(this.deps, principal, id);
  }

  /** The key's audit events, newest first (its own trail: creation, changes, reveals). */
  history(orgId: string, keyId: string, page: { first?: number | null; after?: string | null } = {}): Promise<AuditEventPage> {
    return this.deps.audit.list(orgId, { targetType: 'key', targetId: keyId }, { first: page.first ?? undefined, after: page.after ?? undefined });
  }

  /** Every key linked by rotation to this one, oldest first (the key itself included). */
  async rotationChain(orgId: string, keyId: string, max = 100): Promise<ApiKeyDoc[]> {
    const model = keys(this.deps);
    const self = await model.findOne({ _id: keyId, orgId }).lean<ApiKeyDoc>().exec();
    if (!self) return [];
    const back: ApiKeyDoc[] = [];
    for (let k = self; k.rotatedFromId && back.length < max; ) {
      const prev = await model.findOne({ _id: k.rotatedFromId, orgId }).lean<ApiKeyDoc>().exec();
      if (!prev) break;
      back.unshift(prev);
      k = prev;
    }
    const forward: ApiKeyDoc[] = [];
    for (let k = self; k.rotatedToId && forward.length < max; ) {
      const next = await model.findOne({ _id: k.rotatedToId, orgId }).lean<ApiKeyDoc>().exec();
      if (!next) break;
      forward.push(next);
      k = next;
    }
    return [...back, self, ...forward];
  }
}

/** Regex metacharacters of user text must match literally. */
export function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function toQuery(orgId: string, f: z.infer<typeof FilterSchema>): Record<string, unknown> {
  const q: Record<string, unknown> = { orgId };
  if (f.type) q.type = f.type;
  if (f.subtype) q.subtype = f.subtype;
  if (f.status) q.status = f.status;
  if (f.environment) q.environment = f.environment;
  if (f.ownerId) q.ownerId = f.ownerId;
  if (f.applicationId) q.applicationId = f.applicationId;
  if (f.tag) q.tags = f.tag;
  // `$lt: <date>` matches dates only (Mongo's type bracketing), so keys without an expiry are
  // out without a `$ne: null`, which would keep the count from being done over the index.
  if (f.expiringBefore) q.expiresAt = { $lt: f.expiringBefore };
  if (f.search) {
    const text = escapeRegex(f.search);
    q.$or = [{ name: { $regex: text, $options: 'i' } }, { start: { $regex: `^${text}` } }];
  }
  return q;
}

function sortValue(field: SortField, k: ApiKeyDoc): SortValue {
  const v = k[field];
  if (v === null || v === undefined) return null;
  return v instanceof Date ? v.getTime() : String(v);
}

function encodeCursor(field: SortField, k: ApiKeyDoc): string {
  return Buffer.from(JSON.stringify([field, sortValue(field, k), k._id]), 'utf8').toString('base64url');
}

function decodeCursor(cursor: string, field: SortField): { value: SortValue; id: string } {
  const bad = () => AppError.badInput('invalid cursor', [{ path: ['after'], message: 'is not a cursor this API issued for this sort' }]);
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw bad();
  }
  if (!Array.isArray(parsed) || parsed.length !== 3 || parsed[0] !== field || typeof parsed[2] !== 'string' || !/^key_[a-z0-9]{1,64}$/.test(parsed[2])) throw bad();
  const value = parsed[1] as unknown;
  const isDate = field !== 'name';
  if (value !== null && (isDate ? typeof value !== 'number' || !Number.isFinite(value) : typeof value !== 'string')) throw bad();
  return { value: value as SortValue, id: parsed[2] };
}

/** Rows strictly after (value, id) in the (field, _id) order; null sorts lowest. */
function afterClause(field: SortField, dir: 1 | -1, c: { value: SortValue; id: string }): Record<string, unknown> {
  const v = c.value === null ? null : field === 'name' ? c.value : new Date(c.value as number);
  const idAfter = { _id: dir === 1 ? { $gt: c.id } : { $lt: c.id } };
  if (v === null) {
    // Ascending: nulls come first, so everything non-null follows. Descending: nulls come last.
    return dir === 1 ? { $or: [{ [field]: { $ne: null } }, { [field]: null, ...idAfter }] } : { [field]: null, ...idAfter };
  }
  if (dir === 1) return { $or: [{ [field]: { $gt: v } }, { [field]: v, ...idAfter }] };
  // Descending, nulls come last — but createdAt and name are never null, and without the null
  // branch every branch bounds the field from above, which the store serves as one index range
  // (docs/MONGODB-PORTABILITY.md, rule 5): a deep page then reads one page, not every key before it.
  if (NEVER_NULL.has(field)) return { $or: [{ [field]: { $lt: v } }, { [field]: v, ...idAfter }] };
  return { $or: [{ [field]: { $lt: v } }, { [field]: null }, { [field]: v, ...idAfter }] };
}
