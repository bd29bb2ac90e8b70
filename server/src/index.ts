import 'reflect-metadata'; // decorators run on import (type-graphql types); jobs and tests import this first
/** What other workspaces (jobs, test) may import from the server. */
export * from './infra/config';
export * from './infra/logger';
export * from './infra/app-error';
export * from './infra/redis';
export * from './infra/ids';
export { startServer, type RunningServer } from './composition/server';
export { createAppServices, ensureIndexes, type AppServices } from './composition/app-services';
export * from './access/policy';
export * from './access/access.public';
export * from './infra/entity-lock';
export * from './infra/crypto';
export * from './audit/audit.public';
export * from './webhooks/webhook.public';
export * from './ratelimit';
export * from './keys/key.public';
export * from './jobs.public';
export * from './security.public';
