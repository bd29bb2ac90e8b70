import type { KeySubtype, KeyType, PermissionLevel } from '@latchkey/schema';
import type { Principal } from '../access/principal';
import { AppError } from '../infra/app-error';
import { normalizeScopes, parseScope, scopesForLevel, scopesWithin } from '../access/policy';
import type { StoredOrgPolicy } from '../orgs/org-policy';
import type { KeyLimits } from './key-limits';
import type { KeyRestrictions, NameValue, RotationPolicy } from './key.model';
import { SUBTYPE_DEFAULTS } from './key-defaults';
import { validateKeyConfig } from './key-config';
import type { KeyDeps } from './key-deps';

/** What a key may do: the level preset or custom scopes, plus roles. */
export interface Grant {
  permissionLevel: PermissionLevel;
  scopes: string[];
  roleIds: string[];
  /** Direct plus role scopes at the time of the check. */
  grantedScopes: string[];
}

export interface GrantRequest {
  type: KeyType;
  subtype: KeySubtype;
  ownerId: string | null;
  level?: PermissionLevel;
  scopes?: string[];
  roleIds?: string[];
}

function bad(basePath: (string | number)[], name: string, message: string): AppError {
  return AppError.badInput(`${name}: ${message}`, [{ path: [...basePath, name], message }]);
}

/**
 * Resolves and checks a key's permissions. Nobody grants what they do not hold
 * (`roles.assertGrantable`: catalogue + the caller's own scopes); a user key never
 * holds more than its owner; read-only subtypes get read scopes only.
 */
export async function resolveGrant(deps: KeyDeps, principal: Principal, g: GrantRequest, basePath: (string | number)[]): Promise<Grant> {
  const defaults = SUBTYPE_DEFAULTS[g.subtype];
  const level: PermissionLevel = g.level ?? defaults.defaultLevel ?? 'custom';
  if (level !== 'custom' && g.scopes && g.scopes.length > 0) {
    throw bad(basePath, 'scopes', `are set by permissionLevel ${level}; give scopes only with permissionLevel custom`);
  }
  const scopes = normalizeScopes(level === 'custom' ? (g.scopes ?? []) : scopesForLevel(level));
  const roleIds = [...new Set(g.roleIds ?? [])];
  if (scopes.length === 0 && roleIds.length === 0) throw bad(basePath, 'scopes', 'a key needs at least one scope or role (or a permissionLevel other than custom)');
  const grantedScopes = await deps.roles.assertGrantable(principal, roleIds, scopes, basePath);
  if (defaults.readScopesOnly) {
    const notRead = grantedScopes.find((s) => parseScope(s)?.action !== 'read');
    if (notRead) throw bad(basePath, level === 'custom' ? 'scopes' : 'permissionLevel', `${g.subtype} keys may only hold read scopes (*:read style); ${notRead} is not one`);
  }
  if (g.type === 'user' && g.ownerId) {
    const owner = await deps.users.byId(principal.orgId, g.ownerId);
    const ownerScopes = owner ? await deps.users.effectiveScopes(owner) : [];
    const within = scopesWithin(ownerScopes, grantedScopes);
    if (!within.ok) throw AppError.forbidden(`a user key cannot hold more than its owner: the owner does not hold ${within.scope}`, { missingScope: within.scope });
  }
  return { permissionLevel: level, scopes, roleIds, grantedScopes };
}

export interface Sections {
  restrictions: KeyRestrictions;
  limits: KeyLimits;
  rotationPolicy: RotationPolicy | null;
  tags: string[];
  metadata: NameValue[];
}

/** The org policy's default rate limit as key limits (null entries: no limit). */
export function defaultLimits(policy: Pick<StoredOrgPolicy, 'defaultRateLimit'>): KeyLimits {
  const out: KeyLimits = {};
  const d = policy.defaultRateLimit;
  if (d.perSecond !== null) out.perSecond = d.perSecond;
  if (d.perMinute !== null) out.perMinute = d.perMinute;
  if (d.perHour !== null) out.perHour = d.perHour;
  if (d.perDay !== null) out.perDay = d.perDay;
  return out;
}

/**
 * Restrictions, limits, rotation policy, tags and metadata through key-config's
 * validation. Limits left out entirely come from the org policy's default rate limit.
 */
export function resolveSections(
  v: { restrictions?: unknown; rateLimit?: unknown; rotationPolicy?: unknown; tags?: unknown; metadata?: unknown },
  policy: Pick<StoredOrgPolicy, 'defaultRateLimit'>,
  subtype: KeySubtype,
  basePath: (string | number)[],
): Sections {
  // Only the given sections: key-config's objects are strict, and undefined means "default".
  const sectionInputs = {
    restrictions: v.restrictions,
    rateLimit: v.rateLimit,
    rotationPolicy: v.rotationPolicy,
    tags: v.tags,
    metadata: v.metadata,
  };
  const given = Object.fromEntries(Object.entries(sectionInputs).filter(([, x]) => x !== undefined));
  const cfg = validateKeyConfig(given, basePath);
  const sections: Sections = {
    restrictions: cfg.restrictions,
    limits: v.rateLimit === undefined ? defaultLimits(policy) : cfg.rateLimit,
    rotationPolicy: cfg.rotationPolicy ?? null,
    tags: cfg.tags,
    metadata: cfg.metadata,
  };
  if (SUBTYPE_DEFAULTS[subtype].referrersRequired && sections.restrictions.referrers.length === 0) {
    throw bad([...basePath, 'restrictions'], 'referrers', `${subtype} keys are used from browsers and must name at least one allowed referrer/origin`);
  }
  return sections;
}
