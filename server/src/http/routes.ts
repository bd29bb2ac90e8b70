import type { RouteModule } from './app';

/** REST route modules of every domain (verify, usage, leaks …), in mount order. */
export const routeModules: RouteModule[] = [];
