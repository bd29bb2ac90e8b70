import { z } from 'zod';
import { ADMIN_SUBTYPE_MIN_APPROVALS, KEY_SUBTYPES, KeyType, PermissionLevel, type KeySubtype } from '@latchkey/schema';
import { AppError } from '../infra/app-error';
import { zodProblems } from '../access/validation';
import type { OrgPolicy } from './org-policy';

/**
 * Validation of `updateOrganizationPolicy(input)`: every section is optional and
 * replaces (lists) or merges into (objects) the current policy; the merged result is
 * validated as a whole so cross-field rules see the final state.
 */
const KEY_TYPES = Object.values(KeyType) as [KeyType, ...KeyType[]];
const SUBTYPES = Object.values(KEY_SUBTYPES).flat() as [KeySubtype, ...KeySubtype[]];
const LEVELS = Object.values(PermissionLevel) as [PermissionLevel, ...PermissionLevel[]];

const int = (min: number, max: number) =>
  z.number({ error: 'must be a number' }).int('must be an integer').min(min, `must be at least ${min}`).max(max, `must be at most ${max}`);
const keyType = z.enum(KEY_TYPES, { error: `must be one of ${KEY_TYPES.join(', ')}` });
const limit = int(1, 1_000_000_000).nullable();

const ApprovalRuleSchema = z
  .object({
    keyType: keyType.nullish().transform((v) => v ?? null),
    subtype: z.enum(SUBTYPES, { error: 'must be a key subtype' }).nullish().transform((v) => v ?? null),
    level: z.enum(LEVELS, { error: `must be one of ${LEVELS.join(', ')}` }).nullish().transform((v) => v ?? null),
    approvals: int(0, 5),
  })
  .superRefine((r, ctx) => {
    if (r.subtype && r.keyType && !(KEY_SUBTYPES[r.keyType] as readonly string[]).includes(r.subtype)) {
      ctx.addIssue({ code: 'custom', path: ['subtype'], message: `${r.subtype} is not a subtype of ${r.keyType} keys` });
    }
    if (r.subtype === 'admin' && r.approvals < ADMIN_SUBTYPE_MIN_APPROVALS) {
      ctx.addIssue({ code: 'custom', path: ['approvals'], message: 'admin keys always need at least one approval' });
    }
  });

const LifetimeSchema = z.object({
  keyType,
  maxDays: int(1, 3650).nullable(),
  expiryRequired: z.boolean({ error: 'must be true or false' }),
});

export const OrgPolicySchema = z.object({
  approvalRules: z.array(ApprovalRuleSchema).max(50, 'at most 50 rules'),
  keyLifetimes: z
    .array(LifetimeSchema)
    .max(KEY_TYPES.length)
    .superRefine((ls, ctx) => {
      const seen = new Set<string>();
      ls.forEach((l, i) => {
        if (seen.has(l.keyType)) ctx.addIssue({ code: 'custom', path: [i, 'keyType'], message: `${l.keyType} is listed twice` });
        seen.add(l.keyType);
      });
    }),
  defaultRateLimit: z.object({ perSecond: limit, perMinute: limit, perHour: limit, perDay: limit }),
  rotation: z.object({ everyDays: int(1, 3650).nullable(), gracePeriodSeconds: int(0, 30 * 86_400) }),
  recoverableKeysAllowed: z.boolean({ error: 'must be true or false' }),
  expiryWarningDays: z
    .array(int(1, 365))
    .min(1, 'needs at least one lead time')
    .max(10, 'at most 10 lead times')
    .refine((d) => new Set(d).size === d.length, 'lead times must be distinct')
    .transform((d) => [...d].sort((a, b) => b - a)),
  alertResponses: z.object({ suspendKeyOnCritical: z.boolean({ error: 'must be true or false' }) }),
  adaptiveLimiting: z.object({
    enabled: z.boolean({ error: 'must be true or false' }),
    errorRateThreshold: z.number({ error: 'must be a number' }).min(0.05, 'must be at least 0.05').max(1, 'must be at most 1'),
    minFactor: z.number({ error: 'must be a number' }).min(0.1, 'must be at least 0.1').max(1, 'must be at most 1'),
    minRequests: int(1, 1_000_000),
  }),
  leakResponse: z.enum(['suspend', 'revoke'], { error: 'must be suspend or revoke' }),
});

/** The shape of the update: any section may be left out. */
export interface OrgPolicyPatch {
  approvalRules?: readonly object[] | null;
  keyLifetimes?: readonly object[] | null;
  defaultRateLimit?: object | null;
  rotation?: object | null;
  recoverableKeysAllowed?: boolean | null;
  expiryWarningDays?: readonly number[] | null;
  alertResponses?: object | null;
  adaptiveLimiting?: object | null;
  leakResponse?: string | null;
}

/** Drops keys whose value is undefined so a partial object merges cleanly. */
function defined(o: object): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

/**
 * Applies a patch to the current policy and validates the result. Field paths are
 * reported under `input` (e.g. ["input","approvalRules",0,"approvals"]); for merged
 * lifetimes the index is the one in the caller's list.
 */
export function applyPolicyPatch(current: OrgPolicy, patch: OrgPolicyPatch): OrgPolicy {
  const problems: { path: (string | number)[]; message: string }[] = [];
  const nullSection = (k: keyof OrgPolicyPatch) => {
    if (patch[k] === null) problems.push({ path: ['input', k], message: 'must not be null (leave it out to keep the current value)' });
  };
  (Object.keys(patch) as (keyof OrgPolicyPatch)[]).forEach(nullSection);
  if (problems.length) throw AppError.badInput('invalid policy', problems);

  let lifetimes: unknown[] = current.keyLifetimes;
  if (patch.keyLifetimes) {
    // Validate the caller's list alone first so indexes in errors are theirs.
    const own = z.array(LifetimeSchema).max(KEY_TYPES.length).safeParse(patch.keyLifetimes);
    if (!own.success) throw AppError.badInput('invalid policy', zodProblems(own.error, ['input', 'keyLifetimes']));
    const byType = new Map(current.keyLifetimes.map((l) => [l.keyType, l]));
    const seen = new Set<string>();
    own.data.forEach((l, i) => {
      if (seen.has(l.keyType)) problems.push({ path: ['input', 'keyLifetimes', i, 'keyType'], message: `${l.keyType} is listed twice` });
      seen.add(l.keyType);
      byType.set(l.keyType, l);
    });
    if (problems.length) throw AppError.badInput('invalid policy', problems);
    lifetimes = [...byType.values()];
  }
  const merged = {
    approvalRules: patch.approvalRules ?? current.approvalRules,
    keyLifetimes: lifetimes,
    defaultRateLimit: { ...current.defaultRateLimit, ...defined(patch.defaultRateLimit ?? {}) },
    rotation: { ...current.rotation, ...defined(patch.rotation ?? {}) },
    recoverableKeysAllowed: patch.recoverableKeysAllowed ?? current.recoverableKeysAllowed,
    expiryWarningDays: patch.expiryWarningDays ?? current.expiryWarningDays,
    alertResponses: { ...current.alertResponses, ...defined(patch.alertResponses ?? {}) },
    adaptiveLimiting: { ...current.adaptiveLimiting, ...defined(patch.adaptiveLimiting ?? {}) },
    leakResponse: patch.leakResponse ?? current.leakResponse,
  };
  const r = OrgPolicySchema.safeParse(merged);
  if (!r.success) throw AppError.badInput(r.error.issues.length === 1 ? `invalid policy: ${r.error.issues[0]?.message}` : 'invalid policy', zodProblems(r.error, ['input']));
  return r.data as OrgPolicy;
}
