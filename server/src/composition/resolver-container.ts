import type { ResolverContainer } from '../graphql/context';
import { resolvers } from '../graphql/resolvers';
import { AccessResolver } from '../access/access.resolver';
import { AlertResolver } from '../alerts/alert.resolver';
import { RealtimeResolver } from '../alerts/realtime.resolver';
import { ApplicationResolver } from '../apps/application.resolver';
import { ArchiveResolver } from '../archival/archive.resolver';
import { AuditResolver } from '../audit/audit.resolver';
import { DimensionResolver } from '../dimensions/dimension.resolver';
import { SystemResolver } from '../health/system.resolver';
import { JobsAdminResolver } from '../jobs-admin/jobs-admin.resolver';
import { ApiKeyResolver } from '../keys/key.resolver';
import { KeyEventsResolver } from '../keys/key-subscription';
import { KeyImportResolver } from '../keys/key-import.resolver';
import { LeakResolver } from '../leaks/leak.resolver';
import { NotificationResolver } from '../notifications/notification.resolver';
import { OrgResolver } from '../orgs/org.resolver';
import { PrivacyResolver } from '../privacy/privacy.resolver';
import { ReportResolver } from '../reports/report.resolver';
import { KeyRequestResolver } from '../requests/request.resolver';
import { RoleResolver } from '../roles/role.resolver';
import { RotationResolver } from '../rotation/rotation.resolver';
import { SessionResolver } from '../sessions/session.resolver';
import { UsageResolver } from '../usage/usage.resolver';
import { UserResolver } from '../users/user.resolver';
import { VerifyResolver } from '../verify/verify.resolver';
import { WebhookResolver } from '../webhooks/webhook.resolver';
import type { AppServices } from './app-services';

/**
 * The wiring table of the GraphQL API: every resolver class built once per app with
 * exactly the services it uses. type-graphql asks the container of the operation's
 * context for the instance (graphql/build-schema.ts), so several apps in one process
 * (tests) share one schema and keep their own services.
 */
export function createResolverContainer(s: AppServices): ResolverContainer {
  const instances: object[] = [
    new SystemResolver(s.version, s.health),
    new OrgResolver(s.orgs, s.orgPolicy, s.provisioning),
    new UserResolver(s.users, s.roles),
    new RoleResolver(s.roles),
    new SessionResolver(s.sessions, s.users, s.orgs),
    new ApplicationResolver(s.applications, s.users),
    new AccessResolver(s.access),
    new AuditResolver(s.audit),
    new WebhookResolver(s.webhooks),
    new ApiKeyResolver(s.keys, s.roles),
    new KeyImportResolver(s.keyImport),
    new KeyRequestResolver(s.keys),
    new KeyEventsResolver(s.pubsub),
    new VerifyResolver(s.verify),
    new DimensionResolver(s.dimensions),
    new UsageResolver(s.usage),
    new AlertResolver(s.alerts),
    new RealtimeResolver(s.pubsub, s.keys),
    new ReportResolver(s.reports),
    new NotificationResolver(s.notifications, s.pubsub),
    new RotationResolver(s.rotation),
    new ArchiveResolver(s.archival),
    new JobsAdminResolver(s.jobsAdmin),
    new LeakResolver(s.leaks),
    new PrivacyResolver(s.privacy),
  ];
  const byClass = new Map<unknown, object>(instances.map((r) => [r.constructor, r]));
  // A resolver class in the schema without an instance here would fail on its first call.
  const missing = resolvers.filter((r) => !byClass.has(r)).map((r) => r.name);
  if (missing.length > 0) throw new Error(`resolver container: no instance of ${missing.join(', ')}`);
  return {
    get<T>(resolverClass: abstract new (...args: never[]) => T): T {
      const r = byClass.get(resolverClass);
      if (!r) throw new Error(`resolver container: no instance of ${resolverClass.name}`);
      return r as T;
    },
  };
}
