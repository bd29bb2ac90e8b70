/** What other workspaces (jobs, test) may use of organizations, people and access control. */
export { createAccessServices, type AccessServices } from './access.domain';
export { BUILTIN_ROLE_DEFINITIONS } from './builtin-roles';
export { actorOf, metaOf, requireUserId, requireScope, hasScope, requirePlatformAdmin, principalOf, SYSTEM_ACTOR } from './principal';
export { PageInfo, PageArgs, paginate, type Page } from './pagination';
export type { PermissionCheck, KeyScopeSource } from './access.service';
export type { RoleHolderCounter } from '../roles/role.service';
export {
  DEFAULT_ORG_POLICY,
  defaultOrgPolicy,
  lifetimeFor,
  type OrgPolicy,
  type StoredOrgPolicy,
  type KeyLifetimeRule,
  type RateLimitDefaults,
  type RotationDefaults,
  type AlertResponses,
} from '../orgs/org-policy';
export { passwordProblem } from '../users/password';
export { LOGIN_FAILED_MESSAGE } from '../sessions/session.service';
export type { SessionRevokedMessage } from '../sessions/session.store';
