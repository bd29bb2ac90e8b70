import { z } from 'zod';
import { approvalNeed, Environment, IdPrefix, KEY_SUBTYPES, KeyType, PermissionLevel, Scope, type KeySubtype } from '@latchkey/schema';
import type { Principal } from '../access/principal';
import { AppError } from '../infra/app-error';
import { hasScope, requireUserId } from '../access/principal';
import { idSchema, parseInput, text } from '../access/validation';
import { lifetimeFor, type StoredOrgPolicy } from '../orgs/org-policy';
import type { KeySpec } from '../requests/request.model';
import { KEY_BYTES_MAX, KEY_BYTES_MIN } from './key-format';
import { SUBTYPE_DEFAULTS, lifetimeBounds } from './key-defaults';
import { assertCustomKeyAcceptable } from './key-issue';
import { resolveGrant, resolveSections } from './key-grant';
import type { KeyDeps } from './key-deps';

/**
 * Turns a create/request input into the full configuration of a key (`KeySpec`):
 * subtype defaults applied, ownership checked, configuration validated, scopes checked
 * against what the caller holds, expiry bounded by the policy. Everything is checked
 * before anything is written, so a refused input leaves no trace.
 */
const KEY_TYPES = Object.values(KeyType) as [KeyType, ...KeyType[]];
const SUBTYPES = Object.values(KEY_SUBTYPES).flat() as [KeySubtype, ...KeySubtype[]];
const ENVIRONMENTS = Object.values(Environment) as [Environment, ...Environment[]];
const LEVELS = Object.values(PermissionLevel) as [PermissionLevel, ...PermissionLevel[]];

export const environmentSchema = z.enum(ENVIRONMENTS, { error: `must be one of ${ENVIRONMENTS.join(', ')}` });
export const levelSchema = z.enum(LEVELS, { error: `must be one of ${LEVELS.join(', ')}` });
export const dateSchema = z.coerce.date({ error: 'must be a date' }).refine((d) => !Number.isNaN(d.getTime()), 'must be a date');

const SpecInput = z.object({
  name: text(1, 100),
  description: text(0, 1000).optional().default(''),
  type: z.enum(KEY_TYPES, { error: `must be one of ${KEY_TYPES.join(', ')}` }),
  subtype: z.enum(SUBTYPES, { error: 'must be a key subtype (docs/KEYS.md)' }),
  environment: environmentSchema.optional(),
  ownerId: idSchema(IdPrefix.user).optional(),
  applicationId: idSchema(IdPrefix.application).optional(),
  permissionLevel: levelSchema.optional(),
  scopes: z.array(z.string({ error: 'must be a string' }).max(200, 'must be at most 200 characters')).max(200, 'at most 200 scopes').optional(),
  roleIds: z.array(z.string({ error: 'must be a string' })).max(20, 'at most 20 roles').optional(),
  restrictions: z.unknown().optional(),
  rateLimit: z.unknown().optional(),
  rotationPolicy: z.unknown().optional(),
  tags: z.unknown().optional(),
  metadata: z.unknown().optional(),
  expiresAt: dateSchema.optional(),
  customKey: z.string({ error: 'must be a string' }).max(256, 'must be at most 256 characters').optional(),
  recoverable: z.boolean({ error: 'must be true or false' }).optional(),
  bytes: z
    .number({ error: 'must be a number' })
    .int('must be an integer')
    .min(KEY_BYTES_MIN, `must be at least ${KEY_BYTES_MIN}`)
    .max(KEY_BYTES_MAX, `must be at most ${KEY_BYTES_MAX}`)
    .optional(),
  justification: text(0, 1000).optional(),
});
export type SpecInput = z.infer<typeof SpecInput>;

export interface BuiltSpec {
  spec: KeySpec;
  /** The caller-supplied value, when importing one (never stored in plaintext). */
  customKey: string | null;
  bytes: number | undefined;
  approvalsRequired: number;
  justification: string;
  policy: StoredOrgPolicy;
}

/** Deep copy without null members: GraphQL sends null for every optional field left out. */
export function dropNulls(v: unknown): unknown {
  if (v instanceof Date) return v;
  if (Array.isArray(v)) return v.map(dropNulls);
  if (v === null || typeof v !== 'object') return v;
  return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== null && x !== undefined).map(([k, x]) => [k, dropNulls(x)]));
}

function field(path: string, message: string): AppError {
  return AppError.badInput(`${path}: ${message}`, [{ path: ['input', ...path.split('.')], message }]);
}

export async function buildSpec(deps: KeyDeps, principal: Principal, input: unknown, now: Date): Promise<BuiltSpec> {
  const v = parseInput(SpecInput, dropNulls(input), ['input']);
  if (!(KEY_SUBTYPES[v.type] as readonly string[]).includes(v.subtype)) {
    throw field('subtype', `${v.subtype} is not a subtype of ${v.type} keys (${KEY_SUBTYPES[v.type].join(', ')})`);
  }
  const defaults = SUBTYPE_DEFAULTS[v.subtype];
  const environment = v.environment ?? defaults.defaultEnvironment;
  if (defaults.environments && !defaults.environments.includes(environment)) {
    throw field('environment', `${v.subtype} keys are for ${defaults.environments.join(' or ')} only`);
  }
  const policy = await deps.orgPolicy.getPolicy(principal.orgId);
  const { ownerId, applicationId } = await resolveOwnership(deps, principal, v, environment);
  const sections = resolveSections(v, policy, v.subtype, ['input']);
  await deps.dimensions?.assertKnown(principal.orgId, sections.limits.dimensions, ['input']);
  const grant = await resolveGrant(deps, principal, { type: v.type, subtype: v.subtype, ownerId, level: v.permissionLevel, scopes: v.scopes, roleIds: v.roleIds }, ['input']);

  const bounds = lifetimeBounds(v.subtype, lifetimeFor(policy, v.type), now);
  let defaultLifetimeMs: number | null = null;
  if (v.expiresAt) {
    if (v.expiresAt.getTime() <= now.getTime()) throw field('expiresAt', 'must be in the future');
    if (bounds.latest && v.expiresAt.getTime() > bounds.latest.getTime()) {
      const span = describeSpan(bounds.latest.getTime() - now.getTime());
      const latest = bounds.latest.toISOString();
      throw field('expiresAt', `must be at most ${span} from now for ${v.subtype} keys under this organization’s policy (latest ${latest})`);
    }
  } else if (bounds.defaultExpiry) {
    defaultLifetimeMs = bounds.defaultExpiry.getTime() - now.getTime();
  } else if (bounds.required) {
    throw field('expiresAt', `is required for ${v.type} keys under this organization’s policy`);
  }

  if (v.recoverable && !policy.recoverableKeysAllowed) throw field('recoverable', 'the organization’s policy does not allow recoverable keys');
  if (v.customKey !== undefined) assertCustomKeyAcceptable(v.customKey, ['input', 'customKey']);
  if (v.customKey !== undefined && v.bytes !== undefined) throw field('bytes', 'applies to generated keys only, not to a customKey');

  const approvals = Math.max(
    defaults.minApprovals,
    approvalNeed(policy.approvalRules, { type: v.type, subtype: v.subtype, level: grant.permissionLevel, scopes: grant.grantedScopes }).count,
  );
  const spec: KeySpec = {
    name: v.name,
    description: v.description,
    type: v.type,
    subtype: v.subtype,
    environment,
    ownerId,
    applicationId,
    ...grant,
    ...sections,
    expiresAt: v.expiresAt ?? null,
    defaultLifetimeMs,
    recoverable: v.recoverable ?? false,
    custom: v.customKey !== undefined,
  };
  return { spec, customKey: v.customKey ?? null, bytes: v.bytes, approvalsRequired: approvals, justification: v.justification ?? '', policy };
}

/**
 * Application keys belong to an application of the caller's org (ownerId: its owner),
 * user keys to an active user (default the caller), system keys to the organization.
 */
async function resolveOwnership(deps: KeyDeps, principal: Principal, v: SpecInput, environment: Environment): Promise<{ ownerId: string | null; applicationId: string | null }> {
  switch (v.type) {
    case 'application': {
      if (v.ownerId) throw field('ownerId', 'application keys belong to their application; leave ownerId out');
      if (!v.applicationId) throw field('applicationId', 'is required for application keys');
      const app = await deps.applications.get(principal, v.applicationId, ['input', 'applicationId']);
      if (!app.environments.includes(environment)) {
        throw field('environment', `application ${app.name} runs in ${app.environments.join(', ')} only`);
      }
      return { ownerId: app.ownerId, applicationId: app._id };
    }
    case 'user': {
      if (v.applicationId) throw field('applicationId', 'only application keys name an application');
      const ownerId = v.ownerId ?? requireUserId(principal);
      const owner = await deps.users.get(principal, ownerId, ['input', 'ownerId']);
      if (owner.status !== 'active') throw field('ownerId', 'the user is disabled');
      if (ownerId !== principal.userId && ownerId !== principal.id && !hasScope(principal, Scope.keysWrite)) {
        throw AppError.forbidden('you may only ask for your own user keys (keys:write is needed to issue keys for others)', { missingScope: Scope.keysWrite });
      }
      return { ownerId, applicationId: null };
    }
    case 'system':
      if (v.ownerId) throw field('ownerId', 'system keys belong to the organization; leave ownerId out');
      if (v.applicationId) throw field('applicationId', 'only application keys name an application');
      return { ownerId: null, applicationId: null };
  }
}

export function describeSpan(ms: number): string {
  const hours = ms / 3_600_000;
  if (hours < 48) return `${Math.round(hours)} hours`;
  return `${Math.round(hours / 24)} days`;
}
