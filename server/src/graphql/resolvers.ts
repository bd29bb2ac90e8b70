import type { NonEmptyArray } from 'type-graphql';
import { SystemResolver } from '../health/system.resolver';
import { AccessResolver } from '../access/access.resolver';
import { ApplicationResolver } from '../apps/application.resolver';
import { OrgResolver } from '../orgs/org.resolver';
import { RoleResolver } from '../roles/role.resolver';
import { SessionResolver } from '../sessions/session.resolver';
import { UserResolver } from '../users/user.resolver';
import { WebhookResolver } from '../webhooks/webhook.resolver';
import { AuditResolver } from '../audit/audit.resolver';
import { ApiKeyResolver } from '../keys/key.resolver';
import { KeyEventsResolver } from '../keys/key-subscription';
import { KeyImportResolver } from '../keys/key-import.resolver';
import { KeyRequestResolver } from '../requests/request.resolver';
import { VerifyResolver } from '../verify/verify.resolver';
import { DimensionResolver } from '../dimensions/dimension.resolver';
import { UsageResolver } from '../usage/usage.resolver';
import { AlertResolver } from '../alerts/alert.resolver';
import { RealtimeResolver } from '../alerts/realtime.resolver';
import { ReportResolver } from '../reports/report.resolver';
import { NotificationResolver } from '../notifications/notification.resolver';
import { RotationResolver } from '../rotation/rotation.resolver';
import { ArchiveResolver } from '../archival/archive.resolver';
import { JobsAdminResolver } from '../jobs-admin/jobs-admin.resolver';
import { LeakResolver } from '../leaks/leak.resolver';
import { PrivacyResolver } from '../privacy/privacy.resolver';

/**
 * Every resolver class of the API. Add a domain's resolver here when it lands.
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export const resolvers: NonEmptyArray<Function> = [
  SystemResolver, OrgResolver, UserResolver, RoleResolver, SessionResolver, ApplicationResolver, AccessResolver, AuditResolver, WebhookResolver,
  ApiKeyResolver, KeyImportResolver, KeyRequestResolver, KeyEventsResolver, VerifyResolver, DimensionResolver,
  UsageResolver, AlertResolver, RealtimeResolver, ReportResolver, NotificationResolver, RotationResolver, ArchiveResolver, JobsAdminResolver, LeakResolver, PrivacyResolver,
];
