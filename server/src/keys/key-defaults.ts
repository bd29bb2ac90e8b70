import { ADMIN_SUBTYPE_MIN_APPROVALS, type Environment, type KeySubtype, type KeyType, type PermissionLevel } from '@latchkey/schema';

/**
 * What each key subtype implies (docs/KEYS.md, "Types and subtypes"). The org policy
 * (approval rules, lifetimes per key type) applies on top; where both limit the same
 * thing the stricter wins. Exported so the verify path can read `alertOnUse`.
 */
export interface SubtypeDefaults {
  type: KeyType;
  description: string;
  /** Permission level when the caller names none (and gives no scopes/roles). */
  defaultLevel: PermissionLevel | null;
  /** Only `*:read`-style scopes (direct and through roles) may be granted. */
  readScopesOnly: boolean;
  /** An expiry date is mandatory (applied from `defaultExpiryHours` when none is given). */
  expiryRequired: boolean;
  /** Lifetime applied when the caller gives no expiry (null: none, or the policy's). */
  defaultExpiryHours: number | null;
  /** Longest lifetime this subtype allows (null: the policy's maxDays alone). */
  maxExpiryHours: number | null;
  /** Environments a key of this subtype may be issued for (null: any). */
  environments: readonly Environment[] | null;
  /** Default environment when the caller names none. */
  defaultEnvironment: Environment;
  /** Approvals needed whatever the org policy says (the policy may ask for more). */
  minApprovals: number;
  /** Keys that live in browsers must name the origins they may be used from. */
  referrersRequired: boolean;
  /** Every use is audited and raises an alert (the verify path reads this). */
  alertOnUse: boolean;
}

const HOUR = 1;
const DAY = 24 * HOUR;

function d(type: KeyType, description: string, over: Partial<Omit<SubtypeDefaults, 'type' | 'description'>> = {}): SubtypeDefaults {
  return {
    type,
    description,
    defaultLevel: null,
    readScopesOnly: false,
    expiryRequired: false,
    defaultExpiryHours: null,
    maxExpiryHours: null,
    environments: null,
    defaultEnvironment: 'production',
    minApprovals: 0,
    referrersRequired: false,
    alertOnUse: false,
    ...over,
  };
}

export const SUBTYPE_DEFAULTS: Readonly<Record<KeySubtype, SubtypeDefaults>> = Object.freeze({
  // Application keys: belong to an application of the organization.
  service: d('application', 'Server-to-server calls of a backend service'),
  web: d('application', 'Used from browsers: must name allowed referrers/origins', { referrersRequired: true }),
  mobile: d('application', 'Shipped inside a mobile app'),
  third_party: d('application', 'Handed to an outside party: expiry required, 90 days by default', {
    expiryRequired: true,
    defaultExpiryHours: 90 * DAY,
  }),
  microservice: d('application', 'Calls between internal services'),
  // User keys: belong to a person (default: the caller).
  personal: d('user', 'A person’s own key for scripts and tools'),
  development: d('user', 'Local development: development environment only, 30 days by default', {
    environments: ['development'],
    defaultEnvironment: 'development',
    defaultExpiryHours: 30 * DAY,
  }),
  automation: d('user', 'CI jobs and automation acting for a person'),
  temporary: d('user', 'Short-lived: expiry required, at most 7 days, 24 hours by default', {
    expiryRequired: true,
    defaultExpiryHours: 24 * HOUR,
    maxExpiryHours: 7 * DAY,
  }),
  read_only: d('user', 'Read scopes only (`*:read`-style)', { defaultLevel: 'read_only', readScopesOnly: true }),
  // System keys: belong to the organization (no owner).
  admin: d('system', 'Administrative access: always needs approval', { minApprovals: ADMIN_SUBTYPE_MIN_APPROVALS }),
  monitoring: d('system', 'Health and metrics collectors: read scopes only', { defaultLevel: 'read_only', readScopesOnly: true }),
  backup: d('system', 'Backup and export jobs'),
  integration: d('system', 'Integrations with other platforms'),
  emergency: d('system', 'Break-glass access: expiry at most 24 hours (4 by default), every use audited and alerted', {
    expiryRequired: true,
    defaultExpiryHours: 4 * HOUR,
    maxExpiryHours: 24 * HOUR,
    alertOnUse: true,
  }),
});

export function subtypeDefaults(subtype: KeySubtype): SubtypeDefaults {
  return SUBTYPE_DEFAULTS[subtype];
}

/** How long an approved key's one-time secret may be claimed. */
export const CLAIM_WINDOW_MS = 7 * 24 * 3600 * 1000;

/** Bounds of a rotation's overlap window. */
export const MAX_GRACE_PERIOD_SECONDS = 30 * 24 * 3600;

export interface LifetimeBounds {
  /** Latest allowed expiry for a key issued `now` (null: unlimited). */
  latest: Date | null;
  /** Whether the key must carry an expiry. */
  required: boolean;
  /** Expiry applied when none is given (null: none). */
  defaultExpiry: Date | null;
}

/**
 * Expiry rules for a key of `subtype` issued at `now`: the stricter of the subtype's
 * and the policy's (`lifetimeFor(type)`) limits. Without an explicit date a key whose
 * expiry is required gets the subtype default, else the policy's maximum.
 */
export function lifetimeBounds(
  subtype: KeySubtype,
  policyRule: { maxDays: number | null; expiryRequired: boolean },
  now: Date,
): LifetimeBounds {
  const s = SUBTYPE_DEFAULTS[subtype];
  const limits = [s.maxExpiryHours, policyRule.maxDays === null ? null : policyRule.maxDays * DAY].filter((x): x is number => x !== null);
  const maxHours = limits.length ? Math.min(...limits) : null;
  const at = (hours: number) => new Date(now.getTime() + hours * 3600 * 1000);
  const required = s.expiryRequired || policyRule.expiryRequired;
  let defaultHours = s.defaultExpiryHours;
  if (defaultHours === null && required) defaultHours = maxHours;
  if (defaultHours !== null && maxHours !== null) defaultHours = Math.min(defaultHours, maxHours);
  return { latest: maxHours === null ? null : at(maxHours), required, defaultExpiry: defaultHours === null ? null : at(defaultHours) };
}
