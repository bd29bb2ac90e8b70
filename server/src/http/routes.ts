import type { RouteModule } from './app';
import { mountVerifyRoute } from '../verify/verify.route';

/** REST route modules of every domain (verify, usage, leaks …), in mount order. */
export const routeModules: RouteModule[] = [mountVerifyRoute];
