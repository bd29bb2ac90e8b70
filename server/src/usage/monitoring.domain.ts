import type { Connection } from 'mongoose';
import type { Redis } from 'ioredis';
import type { Config } from '../infra/config';
import type { Logger } from '../infra/logger';
import type { RedisPubSub } from '../infra/pubsub';
import type { AuditService } from '../audit/audit.service';
import type { WebhookService } from '../webhooks/webhook.service';
import type { KeyService } from '../keys/key.service';
import type { OrgPolicyService } from '../orgs/org-policy.service';
import type { RateLimiter } from '../ratelimit/ratelimit.service';
import type { VerifyService } from '../verify/verify.service';
import type { SignalBuffer, VerifySignal } from '../verify/verify-signals';
import type { Metrics } from '../metrics/metrics';
import type { GeoIp } from '../geo/geo.service';
import type { NotificationService } from '../notifications/notification.service';
import { AlertService } from '../alerts/alert.service';
import { alertModel } from '../alerts/alert.model';
import { ReportService } from '../reports/report.service';
import { KeyDirectory } from './key-directory';
import { UsageService } from './usage.service';
import { registerMonitoringMetrics, type MonitoringMetrics } from './monitoring-metrics';

/** What issue 7 adds to `services` (docs/MONITORING.md). */
export interface MonitoringServices {
  readonly geo: GeoIp;
  /** Usage counters, rollups, analytics queries, POST /v1/usage, realtime feeds. */
  readonly usage: UsageService;
  /** Security alerts: detection, de-duplication, acknowledge/resolve, automatic response. */
  readonly alerts: AlertService;
  readonly reports: ReportService;
  readonly monitoring: MonitoringMetrics;
}

export interface MonitoringDeps {
  conn: Connection;
  redis: Redis;
  pubsub: RedisPubSub;
  config: Config;
  logger: Logger;
  audit: AuditService;
  webhooks: WebhookService;
  keys: KeyService;
  orgPolicy: OrgPolicyService;
  limiter: RateLimiter;
  verify: VerifyService;
  signals: SignalBuffer;
  metrics: Metrics;
  geo: GeoIp;
  expandScopes(orgId: string, roleIds: readonly string[], direct: readonly string[]): Promise<string[]>;
  /** Tells a key's owner their key was suspended by an alert (in-app notification). */
  notifications?: Pick<NotificationService, 'notify'>;
}

/**
 * Builds the monitoring domain and subscribes it to the verify signals: alerts first
 * (latency to subscribers matters most), then usage counters and metrics.
 */
export function createMonitoringServices(d: MonitoringDeps): MonitoringServices {
  const directory = new KeyDirectory(d.conn);
  const monitoring = registerMonitoringMetrics({
    registry: d.metrics.registry,
    redis: d.redis,
    queuePrefix: `${d.config.REDIS_PREFIX}:bull`,
    cacheStats: () => d.verify.cache.stats,
    signals: d.signals,
    alerts: alertModel(d.conn),
  });
  const usage = new UsageService({ ...d, directory });
  const alerts = new AlertService({ ...d, directory, onRaised: (type, severity) => monitoring.alertsRaised.inc({ type, severity }) });
  const reports = new ReportService({ conn: d.conn, audit: d.audit, usage, expandScopes: d.expandScopes });
  d.signals.onBatch((batch: readonly VerifySignal[]) => alerts.onSignals(batch));
  d.signals.onBatch(usage.onSignals);
  d.signals.onBatch((batch: readonly VerifySignal[]) => monitoring.onSignals(batch));
  return { geo: d.geo, usage, alerts, reports, monitoring };
}
