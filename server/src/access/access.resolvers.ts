import { AccessResolver } from './access.resolver';
import { ApplicationResolver } from '../apps/application.resolver';
import { OrgResolver } from '../orgs/org.resolver';
import { RoleResolver } from '../roles/role.resolver';
import { SessionResolver } from '../sessions/session.resolver';
import { UserResolver } from '../users/user.resolver';

/** The resolver classes of organizations, people and access control. */
export const accessResolvers = [OrgResolver, UserResolver, RoleResolver, SessionResolver, ApplicationResolver, AccessResolver];
