import type { AlertSeverity } from '@latchkey/schema';

/** What an alert is about. Names are part of the API (GraphQL enum AlertType). */
export const AlertType = {
  AUTH_FAILURES_IP: 'AUTH_FAILURES_IP',
  AUTH_FAILURES_KEY: 'AUTH_FAILURES_KEY',
  RATE_LIMIT_VIOLATIONS: 'RATE_LIMIT_VIOLATIONS',
  NEW_NETWORK: 'NEW_NETWORK',
  NEW_COUNTRY: 'NEW_COUNTRY',
  PERMISSION_VIOLATIONS: 'PERMISSION_VIOLATIONS',
  RESTRICTION_VIOLATIONS: 'RESTRICTION_VIOLATIONS',
  UNUSUAL_VOLUME: 'UNUSUAL_VOLUME',
  EMERGENCY_KEY_USED: 'EMERGENCY_KEY_USED',
  ROTATED_KEY_GRACE_ENDING: 'ROTATED_KEY_GRACE_ENDING',
  KEY_IN_QUERY_STRING: 'KEY_IN_QUERY_STRING',
  WEBHOOK_DEAD_LETTER: 'WEBHOOK_DEAD_LETTER',
  /** A key was reported exposed (POST /v1/leaks, docs/SECURITY-OPERATIONS.md). */
  KEY_LEAKED: 'KEY_LEAKED',
} as const;
export type AlertType = (typeof AlertType)[keyof typeof AlertType];

export const AlertStatus = { open: 'open', acknowledged: 'acknowledged', resolved: 'resolved' } as const;
export type AlertStatus = (typeof AlertStatus)[keyof typeof AlertStatus];

export const SEVERITY_RANK: Record<AlertSeverity, number> = { info: 0, low: 1, medium: 2, high: 3, critical: 4 };

export interface AlertRule {
  severity: AlertSeverity;
  /** Occurrences inside one window fold into one alert (the dedupe window). */
  windowMs: number;
  /** Occurrences in one window at which the alert becomes critical (org policy may then suspend the key). */
  criticalAt?: number;
  title: string;
}

const MIN = 60_000;

/**
 * Severity, de-duplication window and escalation per alert type. Thresholds that decide
 * whether something is an alert at all live in DETECTION below.
 */
export const ALERT_RULES: Record<AlertType, AlertRule> = {
  AUTH_FAILURES_IP: { severity: 'high', windowMs: 15 * MIN, criticalAt: 1_000, title: 'Repeated authentication failures from one IP' },
  AUTH_FAILURES_KEY: { severity: 'medium', windowMs: 15 * MIN, criticalAt: 200, title: 'Repeated use of a revoked, expired or suspended key' },
  RATE_LIMIT_VIOLATIONS: { severity: 'low', windowMs: 15 * MIN, title: 'Rate limit or quota exceeded' },
  NEW_NETWORK: { severity: 'medium', windowMs: 60 * MIN, title: 'Key used from a network it never used before' },
  NEW_COUNTRY: { severity: 'high', windowMs: 60 * MIN, title: 'Key used from a country it never used before' },
  PERMISSION_VIOLATIONS: { severity: 'medium', windowMs: 15 * MIN, criticalAt: 20, title: 'Key asked for permissions it does not hold' },
  RESTRICTION_VIOLATIONS: { severity: 'medium', windowMs: 15 * MIN, criticalAt: 100, title: 'Key used outside its IP, referrer, country or environment restrictions' },
  UNUSUAL_VOLUME: { severity: 'high', windowMs: 60 * MIN, title: 'Traffic far above the key\'s own baseline' },
  // "Every use": one alert per minute of use, its count the number of uses.
  EMERGENCY_KEY_USED: { severity: 'high', windowMs: MIN, title: 'Emergency (break-glass) key used' },
  ROTATED_KEY_GRACE_ENDING: { severity: 'medium', windowMs: 15 * MIN, title: 'Rotated key still in use near the end of its grace period' },
  KEY_IN_QUERY_STRING: { severity: 'low', windowMs: 60 * MIN, title: 'Key sent in the query string' },
  WEBHOOK_DEAD_LETTER: { severity: 'medium', windowMs: 60 * MIN, title: 'Webhook delivery failed permanently' },
  // Raised once per incident by the leak responder (leaks/leak-response.ts), which already de-duplicates.
  KEY_LEAKED: { severity: 'critical', windowMs: 60 * MIN, title: 'API key exposed publicly' },
};

/** Detection thresholds (per organization, per minute unless said otherwise). */
export const DETECTION = {
  /** NOT_FOUND / MALFORMED answers for one client IP in one minute. */
  authFailuresPerIpPerMinute: 10,
  /** REVOKED / EXPIRED / SUSPENDED / NOT_YET_CLAIMED answers for one key in one minute. */
  authFailuresPerKeyPerMinute: 5,
  /** A rotated key this close to the end of its grace period alerts when used. */
  graceEndingWithinMs: 60 * MIN,
  /** Stop announcing new networks for a key seen from this many (a public client key). */
  maxTrackedNetworks: 5_000,
  /** Unusual volume: EWMA weight, samples before judging, minimum volume, deviations. */
  ewmaAlpha: 0.1,
  ewmaWarmupMinutes: 10,
  volumeMinimumPerMinute: 100,
  volumeSigmas: 4,
  volumeMinRatio: 3,
  volumeCriticalRatio: 10,
} as const;

export function severityFor(type: AlertType, count: number, base?: AlertSeverity): AlertSeverity {
  const rule = ALERT_RULES[type];
  if (rule.criticalAt !== undefined && count >= rule.criticalAt) return 'critical';
  return base ?? rule.severity;
}

export function maxSeverity(a: AlertSeverity, b: AlertSeverity): AlertSeverity {
  return SEVERITY_RANK[a] >= SEVERITY_RANK[b] ? a : b;
}
