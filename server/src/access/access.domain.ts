import type { AccessDeps } from './deps';
import type { AuditSink } from '../audit/audit-input';
import { loggingAuditSink } from './audit-sink';
import { AccessService } from './access.service';
import { OrgService } from '../orgs/org.service';
import { OrgPolicyService } from '../orgs/org-policy.service';
import { OrgProvisioning } from '../orgs/org.provisioning';
import { seedFirstOrganization } from '../orgs/org.seed';
import { orgModel, orgPolicyModel } from '../orgs/org.model';
import { RoleService } from '../roles/role.service';
import { roleModel } from '../roles/role.model';
import { UserService } from '../users/user.service';
import { userModel } from '../users/user.model';
import { SessionStore } from '../sessions/session.store';
import { SessionService } from '../sessions/session.service';
import { SessionAuthenticator } from '../sessions/session.authenticator';
import { sessionModel } from '../sessions/session.model';
import { ApplicationService } from '../apps/application.service';
import { applicationModel } from '../apps/application.model';

/** The services of organizations, people and access control, as `AppServices` exposes them. */
export interface AccessServices {
  readonly orgs: OrgService;
  readonly orgPolicy: OrgPolicyService;
  readonly provisioning: OrgProvisioning;
  readonly roles: RoleService;
  readonly users: UserService;
  readonly sessions: SessionService;
  readonly applications: ApplicationService;
  readonly access: AccessService;
  /** Registered in `services.authenticators`. */
  readonly sessionAuthenticator: SessionAuthenticator;
  /** The first-start boot task (boot.ts). */
  seedFirstOrganization(): Promise<void>;
}

export function createAccessServices(d: Omit<AccessDeps, 'audit'> & { audit?: AuditSink }): AccessServices {
  const deps: AccessDeps = { ...d, audit: d.audit ?? loggingAuditSink(d.logger) };
  // Register every model now so ensureIndexes() creates their indexes at boot.
  for (const register of [orgModel, orgPolicyModel, roleModel, userModel, sessionModel, applicationModel]) register(deps.conn);
  const orgs = new OrgService(deps);
  const orgPolicy = new OrgPolicyService(deps);
  const roles = new RoleService(deps, orgs);
  const store = new SessionStore(deps);
  const users = new UserService(deps, roles, store);
  const provisioning = new OrgProvisioning(deps, roles, users);
  // Sign-in on a fresh node waits for its first-start task, so the seeded owner can
  // sign in as soon as the node answers /readyz.
  let markSeeded: () => void = () => undefined;
  const seeded = new Promise<void>((resolve) => (markSeeded = resolve));
  return {
    orgs,
    orgPolicy,
    provisioning,
    roles,
    users,
    sessions: new SessionService(deps, users, store, seeded),
    applications: new ApplicationService(deps, users),
    access: new AccessService(users),
    sessionAuthenticator: new SessionAuthenticator(store, users),
    seedFirstOrganization: () =>
      seedFirstOrganization({
        config: deps.config,
        logger: deps.logger,
        audit: deps.audit,
        orgs,
        provisioning,
        ownerExists: () => users.platformAdminExists(),
      }).finally(markSeeded),
  };
}
