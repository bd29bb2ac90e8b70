import type { RouteModule } from '../http/app';
import type { AppServices } from './app-services';
import { mountVerifyRoute } from '../verify/verify.route';
import { mountLeaseRoute } from '../verify/lease.route';
import { mountUsageRoute, mountVerifyTiming } from '../usage/usage.route';
import { mountReportRoute } from '../reports/report.route';
import { mountLeakRoute } from '../leaks/leak.route';
import { mountArchiveRoute } from '../archival/archive.route';

/** REST route modules of every domain (verify, usage, leaks …), in mount order. */
export const routeModules: RouteModule<AppServices>[] = [
  mountVerifyTiming, mountVerifyRoute, mountLeaseRoute, mountUsageRoute, mountReportRoute, mountLeakRoute, mountArchiveRoute,
];
