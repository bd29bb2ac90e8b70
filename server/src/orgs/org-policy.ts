import type { ApprovalRule, KeyType } from '@latchkey/schema';

/**
 * An organization's key policy: ONE document per organization, edited with
 * `updateOrganizationPolicy` (organization:admin) and read by every domain through
 * `services.orgPolicy.getPolicy(orgId)`. The helpers below are pure so the keys,
 * requests and verify code can apply the policy without knowing its storage. The
 * approval rule itself (`approvalNeed`) is the contract's, so the console previews it.
 */

export interface KeyLifetimeRule {
  keyType: KeyType;
  /** Longest allowed lifetime in days; null = unlimited. */
  maxDays: number | null;
  /** Whether a key of this type must carry an expiry date. */
  expiryRequired: boolean;
}

export interface RateLimitDefaults {
  perSecond: number | null;
  perMinute: number | null;
  perHour: number | null;
  perDay: number | null;
}

export interface RotationDefaults {
  /** Scheduled rotation interval for keys that opt in; null = no scheduled rotation. */
  everyDays: number | null;
  /** How long the previous key keeps working after a rotation. */
  gracePeriodSeconds: number;
}

export interface AlertResponses {
  /** Suspend a key automatically when a critical alert is raised about it. */
  suspendKeyOnCritical: boolean;
}

/**
 * Adaptive limiting: while a key's error rate (denials and 5xx it causes) stays above
 * the threshold, its limits are scaled down step by step to `minFactor`, and scaled
 * back up once it recovers (ratelimit/adaptive.ts).
 */
export interface AdaptiveLimiting {
  enabled: boolean;
  /** Share of a key's requests that are errors, 0.05–1, before limits shrink. */
  errorRateThreshold: number;
  /** The lowest multiplier applied to the key's limits, 0.1–1. */
  minFactor: number;
  /** Requests a key needs in one evaluation window before its rate is judged. */
  minRequests: number;
}

export interface OrgPolicy {
  approvalRules: ApprovalRule[];
  /** One entry per key type. */
  keyLifetimes: KeyLifetimeRule[];
  defaultRateLimit: RateLimitDefaults;
  rotation: RotationDefaults;
  recoverableKeysAllowed: boolean;
  /** Days before expiry at which owners are warned, descending. */
  expiryWarningDays: number[];
  alertResponses: AlertResponses;
  adaptiveLimiting: AdaptiveLimiting;
  /** What happens to a key reported exposed (POST /v1/leaks): suspended (reversible) or revoked. */
  leakResponse: LeakResponse;
}

export type LeakResponse = 'suspend' | 'revoke';

export interface StoredOrgPolicy extends OrgPolicy {
  orgId: string;
  /** 0 while the organization still runs on the defaults. */
  version: number;
  updatedAt: Date | null;
  updatedBy: string | null;
}

export const DEFAULT_ORG_POLICY: Readonly<OrgPolicy> = Object.freeze({
  approvalRules: [
    { keyType: 'system', subtype: null, level: null, approvals: 1 },
    { keyType: null, subtype: null, level: 'full', approvals: 1 },
  ],
  keyLifetimes: [
    { keyType: 'application', maxDays: 365, expiryRequired: false },
    { keyType: 'user', maxDays: 90, expiryRequired: true },
    { keyType: 'system', maxDays: 365, expiryRequired: true },
  ],
  defaultRateLimit: { perSecond: 50, perMinute: 1000, perHour: null, perDay: null },
  rotation: { everyDays: 90, gracePeriodSeconds: 86_400 },
  recoverableKeysAllowed: false,
  expiryWarningDays: [30, 7, 1],
  alertResponses: { suspendKeyOnCritical: false },
  adaptiveLimiting: { enabled: false, errorRateThreshold: 0.5, minFactor: 0.25, minRequests: 50 },
  leakResponse: 'suspend',
}) as Readonly<OrgPolicy>;

/** A deep copy of the defaults (safe to mutate). */
export function defaultOrgPolicy(): OrgPolicy {
  return structuredClone(DEFAULT_ORG_POLICY) as OrgPolicy;
}

/** The lifetime rule of a key type (defaults when the stored policy somehow lacks it). */
export function lifetimeFor(policy: Pick<OrgPolicy, 'keyLifetimes'>, type: KeyType): KeyLifetimeRule {
  return (
    policy.keyLifetimes.find((l) => l.keyType === type) ??
    (DEFAULT_ORG_POLICY.keyLifetimes.find((l) => l.keyType === type) as KeyLifetimeRule)
  );
}
