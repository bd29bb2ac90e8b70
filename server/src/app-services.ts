import type { Redis } from 'ioredis';
import type { Config } from './infra/config';
import type { Logger } from './infra/logger';
import { createMongo, type Mongo } from './infra/mongo';
import { createRedis } from './infra/redis';
import { RedisPubSub } from './infra/pubsub';
import { HealthService } from './health/health.service';
import { createMetrics, type Metrics } from './metrics/metrics';
import type { Authenticator } from './http/authenticate';
import { WebhookService } from './webhooks/webhook.service';
import { createWebhookQueue } from './webhooks/webhook.queue';
import { createAccessServices, type AccessServices } from './access/access.domain';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const VERSION: string = (require('../package.json') as { version: string }).version;

/**
 * Everything a resolver, route or worker may call, built once per process (or per
 * test app). Domain services are added here as they land; infrastructure is shared.
 */
export interface AppServices extends AccessServices {
  readonly version: string;
  readonly config: Config;
  readonly logger: Logger;
  readonly mongo: Mongo;
  /** Command connection: fails fast when Redis is away. */
  readonly redis: Redis;
  readonly pubsub: RedisPubSub;
  readonly health: HealthService;
  readonly metrics: Metrics;
  /** Webhook endpoints; `webhooks.emit(orgId, type, data)` announces an event. */
  readonly webhooks: WebhookService;
  /** Strategies tried in order to turn a credential into a principal. */
  readonly authenticators: Authenticator[];
  close(): Promise<void>;
}

export function createAppServices(config: Config, logger: Logger): AppServices {
  const mongo = createMongo(config, logger);
  const redis = createRedis(config, logger, 'command');
  const sub = createRedis(config, logger, 'subscriber');
  const pubsub = new RedisPubSub(redis, sub, config.REDIS_PREFIX, logger);
  const health = new HealthService(mongo, redis);
  const metrics = createMetrics();
  const authenticators: Authenticator[] = [];
  const webhookQueue = createWebhookQueue(config);
  const webhooks = new WebhookService({ config, logger, conn: mongo.conn, redis, queue: webhookQueue });
  const access = createAccessServices({ conn: mongo.conn, redis, pubsub, config, logger });
  authenticators.push(access.sessionAuthenticator);

  let closed = false;
  return {
    ...access,
    version: VERSION,
    config,
    logger,
    mongo,
    redis,
    pubsub,
    health,
    metrics,
    authenticators,
    webhooks,
    async close() {
      if (closed) return;
      closed = true;
      await webhookQueue.close().catch(() => undefined);
      await Promise.allSettled([mongo.close(), redis.quit(), sub.quit()]);
      redis.disconnect();
      sub.disconnect();
    },
  };
}

/** Creates every collection's indexes (autoIndex is off so boot order is explicit). */
export async function ensureIndexes(services: AppServices): Promise<void> {
  const models = Object.values(services.mongo.conn.models);
  for (const m of models) await m.createIndexes();
}
