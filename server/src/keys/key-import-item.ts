import { z } from 'zod';
import { ErrorCode } from '@latchkey/schema';
import type { Principal } from '../access/principal';
import { AppError, isAppError } from '../infra/app-error';
import { parseInput } from '../access/validation';
import { buildSpec, type BuiltSpec } from './key-spec';
import { collidesWithSessionTokens, SESSION_PREFIX_PROBLEM } from './key-issue';
import type { KeyDeps } from './key-deps';

/**
 * One item of `importApiKeys`, checked exactly as createApiKey checks its input
 * (`buildSpec`: subtype defaults, ownership, configuration, scopes, expiry, and for an
 * imported value `checkCustomKey` + "not shaped like ours"), plus the import's own
 * fields. A problem becomes the item's error; nothing is written for it.
 */
export interface ImportItemError {
  code: ErrorCode;
  message: string;
  /** Path of the offending field inside the item, dotted (`secret`, `restrictions.ipAllowList.2`). */
  field: string | null;
  /** FORBIDDEN because the policy needs approval: how many. */
  approvalsRequired?: number;
}

export interface ItemPlan {
  index: number;
  externalId: string | null;
  /** The imported value; null when Latchkey generates the key. */
  secret: string | null;
  built: BuiltSpec;
}

export type PreparedItem = { ok: true; plan: ItemPlan } | { ok: false; index: number; externalId: string | null; error: ImportItemError };

const ItemFields = z.object({
  externalId: z
    .string({ error: 'must be a string' })
    .min(1, 'must not be empty')
    .max(200, 'must be at most 200 characters')
    .regex(/^[^\x00-\x1f\x7f]+$/, 'must not contain control characters')
    .optional(),
  secret: z.string({ error: 'must be a string' }).max(256, 'must be at most 256 characters').optional(),
  customKey: z.string({ error: 'must be a string' }).max(256, 'must be at most 256 characters').optional(),
});

function externalIdOf(raw: unknown): string | null {
  const v = (raw as { externalId?: unknown } | null)?.externalId;
  return typeof v === 'string' ? v : null;
}

/** Validates one item and builds its key configuration; never throws an AppError. */
export async function prepareItem(deps: KeyDeps, principal: Principal, raw: unknown, index: number, now: Date): Promise<PreparedItem> {
  // `customKey` is createApiKey's name for the same thing: an item pasted from a
  // createApiKey input works; `secret` is the import's own name (it wins the path).
  const named = (raw as { secret?: unknown } | null)?.secret != null ? 'secret' : 'customKey';
  try {
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw AppError.badInput('each item must be an object', [{ path: [], message: 'must be an object' }]);
    const { externalId, secret, customKey, ...spec } = raw as Record<string, unknown>;
    // GraphQL sends null for a field spelled out as null: that means "not given".
    const own = parseInput(ItemFields, { externalId: externalId ?? undefined, secret: secret ?? undefined, customKey: customKey ?? undefined });
    if (own.secret !== undefined && own.customKey !== undefined && own.secret !== own.customKey) {
      throw AppError.badInput('give the imported value once, as secret (customKey is its createApiKey name)', [{ path: ['secret'], message: 'differs from customKey' }]);
    }
    const value = own.secret ?? own.customKey ?? null;
    // The createApiKey rule (key-issue.ts), checked first so the error names the field this item used.
    if (value !== null && collidesWithSessionTokens(value)) {
      throw AppError.badInput(`${named}: ${SESSION_PREFIX_PROBLEM}`, [{ path: [named], message: SESSION_PREFIX_PROBLEM }]);
    }
    const built = await buildSpec(deps, principal, value === null ? spec : { ...spec, customKey: value }, now);
    if (built.approvalsRequired > 0) {
      const n = built.approvalsRequired;
      const s = built.spec;
      throw AppError.forbidden(
        `the organization’s policy requires ${n} approval${n === 1 ? '' : 's'} for a ${s.type}/${s.subtype} key with permission level ${s.permissionLevel}; ` +
          'import does not bypass approval: ask for it with requestApiKey (customKey carries an existing value)',
        { approvalsRequired: n },
      );
    }
    return { ok: true, plan: { index, externalId: own.externalId ?? null, secret: value, built } };
  } catch (e) {
    if (!isAppError(e)) throw e;
    return { ok: false, index, externalId: externalIdOf(raw), error: itemError(e, named) };
  }
}

/** An AppError as an item's error: paths relative to the item, the value named as the caller named it. */
export function itemError(e: AppError, valueName: 'secret' | 'customKey' = 'secret'): ImportItemError {
  const path = e.details.fields?.[0]?.path ?? null;
  const rel = path ? (path[0] === 'input' ? path.slice(1) : path).map((p) => (p === 'customKey' ? valueName : p)) : null;
  const message = valueName === 'secret' ? e.message.replace(/^customKey:/, 'secret:') : e.message;
  const approvals = e.details.approvalsRequired;
  return { code: e.code, message, field: rel && rel.length > 0 ? rel.join('.') : null, ...(typeof approvals === 'number' ? { approvalsRequired: approvals } : {}) };
}

export function conflict(message: string): ImportItemError {
  return { code: ErrorCode.CONFLICT, message, field: null };
}

/** Runs `fn` over `items` with at most `limit` in flight; results in input order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
