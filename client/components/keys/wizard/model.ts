import type { CreateApiKeyInput } from '@/gql/graphql';

export interface WizardState {
  type: string;
  subtype: string;
  environment: string;
  applicationId: string;
  permissionLevel: string;
  scopes: string[];
  roleIds: string[];
  ipAllowList: string;
  referrers: string;
  countries: string;
  restrictionMode: 'enforce' | 'report_only';
  perSecond: string;
  perMinute: string;
  perHour: string;
  perDay: string;
  expiry: 'default' | 'date';
  expiresOn: string;
  rotation: 'default' | 'custom';
  rotateEveryDays: string;
  rotateGraceHours: string;
  name: string;
  description: string;
  tags: string;
  justification: string;
}

export const INITIAL: WizardState = {
  type: 'application',
  subtype: 'service',
  environment: 'production',
  applicationId: '',
  permissionLevel: 'custom',
  scopes: [],
  roleIds: [],
  ipAllowList: '',
  referrers: '',
  countries: '',
  restrictionMode: 'enforce',
  perSecond: '',
  perMinute: '',
  perHour: '',
  perDay: '',
  expiry: 'default',
  expiresOn: '',
  rotation: 'default',
  rotateEveryDays: '90',
  rotateGraceHours: '24',
  name: '',
  description: '',
  tags: '',
  justification: '',
};

export const STEPS = ['Type', 'Environment', 'Permissions', 'Restrictions', 'Limits', 'Expiry', 'Rotation', 'Review'] as const;

const list = (s: string) => s.split(/[\s,]+/).map((v) => v.trim()).filter(Boolean);
const int = (s: string) => (s.trim() === '' ? undefined : Math.max(0, Math.floor(Number(s))));

/** The wizard's answers as the API input; unset sections are left out so defaults apply. */
export function toInput(s: WizardState): CreateApiKeyInput {
  const restrictions = {
    ipAllowList: list(s.ipAllowList),
    referrers: list(s.referrers),
    countries: list(s.countries).map((c) => c.toUpperCase()),
  };
  const hasRestrictions = restrictions.ipAllowList.length + restrictions.referrers.length + restrictions.countries.length > 0;
  const rateLimit = { perSecond: int(s.perSecond), perMinute: int(s.perMinute), perHour: int(s.perHour), perDay: int(s.perDay) };
  const hasLimits = Object.values(rateLimit).some((v) => v !== undefined);
  return {
    type: s.type,
    subtype: s.subtype,
    name: s.name.trim(),
    description: s.description.trim() || undefined,
    environment: s.environment,
    applicationId: s.type === 'application' ? s.applicationId || undefined : undefined,
    permissionLevel: s.permissionLevel,
    scopes: s.permissionLevel === 'custom' ? s.scopes : undefined,
    roleIds: s.roleIds.length ? s.roleIds : undefined,
    restrictions: hasRestrictions
      ? { ...restrictions, mode: { ip: s.restrictionMode, referrer: s.restrictionMode, country: s.restrictionMode } }
      : undefined,
    rateLimit: hasLimits ? rateLimit : undefined,
    expiresAt: s.expiry === 'date' && s.expiresOn ? new Date(`${s.expiresOn}T23:59:59Z`).toISOString() : undefined,
    rotationPolicy:
      s.rotation === 'custom'
        ? { everyDays: int(s.rotateEveryDays) ?? 90, gracePeriodSeconds: (int(s.rotateGraceHours) ?? 24) * 3600 }
        : undefined,
    tags: list(s.tags).length ? list(s.tags) : undefined,
  };
}

/** What stops the current step from going on, in words. */
export function stepProblem(step: number, s: WizardState): string | null {
  if (step === 1 && s.type === 'application' && !s.applicationId) return 'Choose the application this key belongs to.';
  if (step === 2 && s.permissionLevel === 'custom' && s.scopes.length === 0 && s.roleIds.length === 0) return 'A custom key needs at least one scope or role.';
  if (step === 3 && s.subtype === 'web' && list(s.referrers).length === 0) return 'Web keys must name at least one allowed referrer.';
  if (step === 5 && s.expiry === 'date' && !s.expiresOn) return 'Pick an expiry date, or keep the default.';
  if (step === 7 && !s.name.trim()) return 'Give the key a name.';
  return null;
}
