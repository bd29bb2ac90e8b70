import { PLATFORM_ACTIONS, PLATFORM_RESOURCES, Scope, type BuiltinRole } from '@latchkey/schema';

/**
 * The built-in roles every organization starts with. They are seeded as role documents
 * (so holders reference them by id like any role) and cannot be edited or deleted:
 * an organization that wants something else creates a custom role.
 *
 * - owner: everything, including organization:admin (policy) and system:admin.
 * - admin: every action on every resource except the two administrative ones that
 *   change the organization itself (organization:admin, system:admin). Action
 *   wildcards (`*:write`) keep covering resources added to the catalogue later.
 * - approver: a developer who may also approve key requests and see who asked.
 * - developer: request keys, see keys, applications and analytics.
 * - viewer: read everything except the audit trail and system internals.
 */
const NON_ADMIN_ACTIONS = PLATFORM_ACTIONS.filter((a) => a !== 'admin');
const ADMINISTERED_RESOURCES = PLATFORM_RESOURCES.filter((r) => r !== 'organization' && r !== 'system');

const developer = [Scope.keysRequest, Scope.keysRead, Scope.applicationsRead, Scope.analyticsRead, Scope.organizationRead];

export const BUILTIN_ROLE_DEFINITIONS: Readonly<Record<BuiltinRole, { description: string; scopes: readonly string[] }>> = {
  owner: { description: 'Everything, including organization policy', scopes: ['*:*'] },
  admin: {
    description: 'Everything except organization:admin and system:admin',
    scopes: [...NON_ADMIN_ACTIONS.map((a) => `*:${a}`), ...ADMINISTERED_RESOURCES.map((r) => `${r}:admin`)].sort(),
  },
  approver: {
    description: 'Developer who may also approve key requests',
    scopes: [...developer, Scope.keysApprove, Scope.usersRead].sort(),
  },
  developer: { description: 'Requests keys; reads keys, applications and analytics', scopes: [...developer].sort() },
  viewer: {
    description: 'Reads everything except the audit trail and system internals',
    scopes: PLATFORM_RESOURCES.filter((r) => r !== 'audit' && r !== 'system')
      .map((r) => `${r}:read`)
      .sort(),
  },
};
