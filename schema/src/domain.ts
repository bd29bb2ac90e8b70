/** Domain enums: the vocabulary every package shares (the verify route's own: verify-wire.ts). */
import type { Environment } from './verify-wire';

export const KeyType = { application: 'application', user: 'user', system: 'system' } as const;
export type KeyType = (typeof KeyType)[keyof typeof KeyType];

export const KEY_SUBTYPES = {
  application: ['service', 'web', 'mobile', 'third_party', 'microservice'],
  user: ['personal', 'development', 'automation', 'temporary', 'read_only'],
  system: ['admin', 'monitoring', 'backup', 'integration', 'emergency'],
} as const satisfies Record<KeyType, readonly string[]>;
export type KeySubtype = (typeof KEY_SUBTYPES)[KeyType][number];
export const ALL_KEY_SUBTYPES: readonly KeySubtype[] = Object.values(KEY_SUBTYPES).flat();

/** The environment tag embedded in a key string. */
export const ENVIRONMENT_TAG: Record<Environment, string> = {
  development: 'dev',
  staging: 'stg',
  production: 'prd',
};

export const KeyStatus = {
  pending_approval: 'pending_approval',
  approved: 'approved',
  active: 'active',
  suspended: 'suspended',
  rotating: 'rotating',
  expired: 'expired',
  revoked: 'revoked',
} as const;
export type KeyStatus = (typeof KeyStatus)[keyof typeof KeyStatus];

export const PermissionLevel = { full: 'full', read_write: 'read_write', read_only: 'read_only', custom: 'custom' } as const;
export type PermissionLevel = (typeof PermissionLevel)[keyof typeof PermissionLevel];

export const BUILTIN_ROLES = ['owner', 'admin', 'approver', 'developer', 'viewer'] as const;
export type BuiltinRole = (typeof BUILTIN_ROLES)[number];

export const RestrictionMode = { enforce: 'enforce', report_only: 'report_only' } as const;
export type RestrictionMode = (typeof RestrictionMode)[keyof typeof RestrictionMode];

export const WEBHOOK_EVENTS = [
  'key.requested', 'key.approved', 'key.rejected', 'key.created', 'key.claimed', 'key.updated',
  'key.rotated', 'key.revoked', 'key.suspended', 'key.expiring', 'key.expired', 'alert.raised',
  'user.created', 'application.created', 'webhook.test',
] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

export const AlertSeverity = { info: 'info', low: 'low', medium: 'medium', high: 'high', critical: 'critical' } as const;
export type AlertSeverity = (typeof AlertSeverity)[keyof typeof AlertSeverity];
