/**
 * The management scopes Latchkey's own API checks. Resources of the seed catalogue
 * (users, applications, data, analytics, reports, backup, keys, audit, system) plus the
 * platform's own (roles, organization, webhooks, alerts). Organizations extend the
 * catalogue for their own APIs; these names are what our resolvers require.
 */
export const Scope = {
  usersRead: 'users:read',
  usersWrite: 'users:write',
  rolesRead: 'roles:read',
  rolesWrite: 'roles:write',
  applicationsRead: 'applications:read',
  applicationsWrite: 'applications:write',
  keysRead: 'keys:read',
  /** Ask for a key (goes through approval per org policy). */
  keysRequest: 'keys:request',
  /** Create, update, renew, rotate, suspend, revoke keys directly. */
  keysWrite: 'keys:write',
  keysApprove: 'keys:approve',
  keysVerify: 'keys:verify',
  /** Read back a recoverable key's plaintext (audited). */
  keysReveal: 'keys:reveal',
  auditRead: 'audit:read',
  auditExport: 'audit:export',
  organizationRead: 'organization:read',
  organizationAdmin: 'organization:admin',
  webhooksRead: 'webhooks:read',
  webhooksWrite: 'webhooks:write',
  alertsRead: 'alerts:read',
  alertsWrite: 'alerts:write',
  analyticsRead: 'analytics:read',
  reportsRead: 'reports:read',
  systemAdmin: 'system:admin',
} as const;
export type Scope = (typeof Scope)[keyof typeof Scope];

/** Resources known to every organization's catalogue from the start. */
export const PLATFORM_RESOURCES = [
  'users', 'applications', 'data', 'analytics', 'reports', 'backup', 'keys', 'audit', 'system',
  'roles', 'organization', 'webhooks', 'alerts',
] as const;
export const PLATFORM_ACTIONS = [
  'read', 'write', 'delete', 'deploy', 'export', 'approve', 'verify', 'admin', 'request', 'reveal',
] as const;
