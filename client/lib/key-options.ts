import type { ApiKeySortField, KeyEnvironment, KeyStatus, KeySubtype, KeyType, PermissionLevel } from '@/gql/schema-types';

/**
 * Option lists for selects. The generated enum types keep them honest: a value the
 * schema drops fails the typecheck here instead of silently producing empty results.
 */
export const KEY_TYPES = ['application', 'user', 'system'] as const satisfies readonly KeyType[];
export const KEY_STATUSES = ['active', 'approved', 'pending_approval', 'rotating', 'suspended', 'expired', 'revoked'] as const satisfies readonly KeyStatus[];
export const ENVIRONMENTS = ['production', 'staging', 'development'] as const satisfies readonly KeyEnvironment[];
export const PERMISSION_LEVELS = ['custom', 'read_only', 'read_write', 'full'] as const satisfies readonly PermissionLevel[];
export const SORT_FIELDS = ['createdAt', 'name', 'lastUsedAt', 'expiresAt'] as const satisfies readonly ApiKeySortField[];

export interface SubtypeInfo {
  value: KeySubtype;
  type: KeyType;
  hint: string;
}

/** docs/KEYS.md "Types and subtypes", in words a person choosing one needs. */
export const SUBTYPES: readonly SubtypeInfo[] = [
  { value: 'service', type: 'application', hint: 'A backend calling your API' },
  { value: 'web', type: 'application', hint: 'Used from browsers: needs allowed referrers' },
  { value: 'mobile', type: 'application', hint: 'Shipped inside a mobile app' },
  { value: 'third_party', type: 'application', hint: 'For a partner; expiry required (90 days default)' },
  { value: 'microservice', type: 'application', hint: 'Service-to-service inside your platform' },
  { value: 'personal', type: 'user', hint: 'Your own scripts and tools' },
  { value: 'development', type: 'user', hint: 'Development environment only; 30 days default' },
  { value: 'automation', type: 'user', hint: 'CI jobs and bots acting for you' },
  { value: 'temporary', type: 'user', hint: 'At most 7 days; 24 hours default' },
  { value: 'read_only', type: 'user', hint: 'Read scopes only' },
  { value: 'admin', type: 'system', hint: 'Organization administration; always needs approval' },
  { value: 'monitoring', type: 'system', hint: 'Read-only health and metrics' },
  { value: 'backup', type: 'system', hint: 'Backup and export jobs' },
  { value: 'integration', type: 'system', hint: 'Platform-level integrations' },
  { value: 'emergency', type: 'system', hint: 'Break-glass: at most 24 h, every use alerts' },
];

export const ALL_SUBTYPES = SUBTYPES.map((s) => s.value);

export const TYPE_HINTS: Record<KeyType, string> = {
  application: 'Belongs to an application; its owner is responsible for it.',
  user: 'Acts as a person (you, by default) and never holds more than they do.',
  system: 'Belongs to the organization itself, not to a person.',
};

export function pick<T extends string>(allowed: readonly T[], value: string | string[] | undefined): T | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  return allowed.find((a) => a === v);
}

export function firstParam(value: string | string[] | undefined): string | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  return v?.trim() ? v.trim() : undefined;
}
