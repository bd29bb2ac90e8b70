import type { Redis } from 'ioredis';
import type { Config } from '../infra/config';
import type { Logger } from '../infra/logger';
import { createMongo, type Mongo } from '../infra/mongo';
import { createRedis } from '../infra/redis';
import { RedisPubSub } from '../infra/pubsub';
import { HealthService } from '../health/health.service';
import { AuditService } from '../audit/audit.service';
import { createMetrics, type Metrics } from '../metrics/metrics';
import type { Authenticator } from '../access/authenticator';
import { createAccessServices, type AccessServices } from '../access/access.domain';
import { WebhookService } from '../webhooks/webhook.service';
import { createWebhookQueue } from '../webhooks/webhook.queue';
import { RateLimiter } from '../ratelimit/ratelimit.service';
import { LocalLimiter } from '../ratelimit/local-limiter';
import { VerifyService } from '../verify/verify.service';
import { SignalBuffer } from '../verify/verify-signals';
import { KeyAuthenticator } from '../verify/key-authenticator';
import { lastUsedConsumer } from '../verify/last-used';
import { AdaptiveLimiter } from '../ratelimit/adaptive';
import { DimensionService } from '../dimensions/dimension.service';
import { KeyService } from '../keys/key.service';
import { KeyImporter } from '../keys/key-import';
import { GeoIp } from '../geo/geo.service';
import { createMonitoringServices, type MonitoringServices } from '../usage/monitoring.domain';
import { KeySystemTransitions } from '../keys/key-system-transitions';
import type { KeyDeps } from '../keys/key-deps';
import { NotificationService } from '../notifications/notification.service';
import { ExpiryService } from '../expiry/expiry.service';
import { RotationService } from '../rotation/rotation.service';
import { ArchivalService } from '../archival/archival.service';
import { JobsAdminService } from '../jobs-admin/jobs-admin.service';
import { createLeakService } from '../leaks/leak.domain';
import type { LeakService } from '../leaks/leak.service';
import { createPrivacyService } from '../privacy/privacy.domain';
import type { PrivacyService } from '../privacy/privacy.service';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const VERSION: string = (require('../../package.json') as { version: string }).version;

/**
 * Everything a resolver, route or worker may call, built once per process (or per
 * test app). Domain services are added here as they land; infrastructure is shared.
 */
export interface AppServices extends AccessServices, MonitoringServices {
  readonly version: string;
  readonly config: Config;
  readonly logger: Logger;
  readonly mongo: Mongo;
  /** Command connection: fails fast when Redis is away. */
  readonly redis: Redis;
  readonly pubsub: RedisPubSub;
  readonly health: HealthService;
  readonly audit: AuditService;
  readonly metrics: Metrics;
  /** Webhook endpoints; `webhooks.emit(orgId, type, data)` announces an event. */
  readonly webhooks: WebhookService;
  /** API keys: issue, request/approve/claim, change, rotate, revoke, list (docs/KEYS.md). */
  readonly keys: KeyService;
  /** importApiKeys: up to 1,000 keys per call, generated or existing values (docs/KEY-IMPORT.md). */
  readonly keyImport: KeyImporter;
  /** The verify pipeline: POST /v1/keys/verify, `verifyApiKey`, API keys on /graphql. */
  readonly verify: VerifyService;
  readonly limiter: RateLimiter;
  /** Metered dimensions: built-ins plus the organization's own (ISSUE 10). */
  readonly dimensions: DimensionService;
  /** Scales limits of misbehaving keys (org policy `adaptiveLimiting`). */
  readonly adaptive: AdaptiveLimiter;
  /** Usage and security signals buffered off the hot path. */
  readonly signals: SignalBuffer;
  /** Strategies tried in order to turn a credential into a principal. */
  readonly authenticators: Authenticator[];
  /** In-app notifications per user, stored and published live. */
  readonly notifications: NotificationService;
  /** Expiry warnings and the `expired` transition (the expiry job). */
  readonly expiry: ExpiryService;
  /** Scheduled rotation and the claim of a scheduled successor's secret. */
  readonly rotation: RotationService;
  /** Archives past retention; listing and reading them back (docs/ARCHIVAL.md). */
  readonly archival: ArchivalService;
  /** Queue counts, failed jobs and retries (platform administrators). */
  readonly jobsAdmin: JobsAdminService;
  /** Reports of exposed keys (POST /v1/leaks) and reporter secrets (docs/SECURITY-OPERATIONS.md). */
  readonly leaks: LeakService;
  /** Export and erasure of a person's data (docs/PERSONAL-DATA.md). */
  readonly privacy: PrivacyService;
  close(): Promise<void>;
}

export function createAppServices(config: Config, logger: Logger): AppServices {
  const mongo = createMongo(config, logger);
  const redis = createRedis(config, logger, 'command');
  const sub = createRedis(config, logger, 'subscriber');
  const pubsub = new RedisPubSub(redis, sub, config.REDIS_PREFIX, logger);
  const health = new HealthService(mongo, redis);
  const audit = new AuditService(mongo.conn, logger);
  const metrics = createMetrics();
  const authenticators: Authenticator[] = [];
  const access = createAccessServices({ conn: mongo.conn, redis, pubsub, config, logger, audit });
  authenticators.push(access.sessionAuthenticator);
  const webhookQueue = createWebhookQueue(config);
  const webhooks = new WebhookService({ config, logger, conn: mongo.conn, redis, queue: webhookQueue, audit });
  const dimensions = new DimensionService({ conn: mongo.conn, audit, pubsub });
  const keyDeps: KeyDeps = {
    conn: mongo.conn, redis, pubsub, config, logger, audit, webhooks, dimensions,
    orgs: access.orgs, orgPolicy: access.orgPolicy, roles: access.roles, users: access.users, applications: access.applications,
  };
  const keys = new KeyService(keyDeps);
  // Jobs: expiry, scheduled rotation, archival (docs/JOBS.md).
  const keySystem = new KeySystemTransitions(keyDeps);
  const notifications = new NotificationService({ conn: mongo.conn, pubsub, logger });
  const expiry = new ExpiryService({ conn: mongo.conn, config, logger, orgPolicy: access.orgPolicy, roles: access.roles, notifications, webhooks, system: keySystem });
  const archival = new ArchivalService({ conn: mongo.conn, config, logger, redis });
  const jobsAdmin = new JobsAdminService(config);
  access.access.registerKeyScopeSource((orgId, keyId) => keys.scopesOf(orgId, keyId));

  const limiter = new RateLimiter(redis, `${config.REDIS_PREFIX}:rl`);
  // Flushed every 200 ms (not 1 s): alerts reach subscribers within the 500 ms p99 target.
  const signals = new SignalBuffer(logger, { maxBuffered: 50_000, flushEveryMs: 200 });
  const geo = new GeoIp();
  // The hot path takes plain functions, not services: verify/ imports no roles, geo or dimensions module.
  const verify = new VerifyService({
    conn: mongo.conn,
    config,
    logger,
    pubsub,
    limiter,
    localLimiter: new LocalLimiter({ nodeCount: config.RATE_LIMIT_FALLBACK_NODES }),
    signals,
    expandScopes: (orgId, roleIds, direct) => access.roles.expandScopes(orgId, roleIds, direct),
    countryOf: (ip) => geo.countryOf(ip),
    dimensionNames: async (orgId) => new Set(await dimensions.names(orgId)),
  });
  authenticators.push(new KeyAuthenticator(verify));
  signals.onBatch(lastUsedConsumer({ conn: mongo.conn, redis, prefix: config.REDIS_PREFIX, logger }));
  const adaptive = new AdaptiveLimiter({
    logger,
    policyOf: async (orgId) => (await access.orgPolicy.getPolicy(orgId)).adaptiveLimiting,
    getFactor: (keyId) => limiter.getAdaptiveFactor(keyId),
    setFactor: (keyId, f, ttl) => limiter.setAdaptiveFactor(keyId, f, ttl),
  });
  signals.onBatch(adaptive.observe);
  const monitoringServices = createMonitoringServices({
    conn: mongo.conn, redis, pubsub, config, logger, audit, webhooks, keys, orgPolicy: access.orgPolicy, limiter, verify, signals, metrics, geo,
    expandScopes: (orgId, roleIds, direct) => access.roles.expandScopes(orgId, roleIds, direct),
    notifications,
  });
  const rotation = new RotationService({ conn: mongo.conn, redis, config, logger, roles: access.roles, notifications, system: keySystem, alerts: monitoringServices.alerts });
  const leaks = createLeakService({
    conn: mongo.conn, redis, config, logger, audit, keys, orgPolicy: access.orgPolicy, roles: access.roles,
    alerts: monitoringServices.alerts, notifications, hashOf: (k) => verify.hashOf(k),
  });
  const privacy = createPrivacyService({ conn: mongo.conn, redis, config, logger, audit, users: access.users, keys });

  let closed = false;
  return {
    ...access,
    ...monitoringServices,
    version: VERSION,
    config,
    logger,
    mongo,
    redis,
    pubsub,
    health,
    audit,
    metrics,
    authenticators,
    webhooks,
    keys,
    keyImport: new KeyImporter(keyDeps),
    notifications,
    expiry,
    rotation,
    archival,
    jobsAdmin,
    leaks,
    privacy,
    verify,
    limiter,
    dimensions,
    adaptive,
    signals,
    async close() {
      if (closed) return;
      closed = true;
      adaptive.stop();
      monitoringServices.usage.realtime.stop();
      await verify.stop().catch(() => undefined);
      await signals.stop();
      await webhookQueue.close().catch(() => undefined);
      await jobsAdmin.close().catch(() => undefined);
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
