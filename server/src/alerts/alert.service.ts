import type { Connection } from 'mongoose';
import type { Redis } from 'ioredis';
import type { AlertSeverity } from '@latchkey/schema';
import type { Config } from '../infra/config';
import type { Logger } from '../infra/logger';
import type { RedisPubSub } from '../infra/pubsub';
import type { AuditActor, AuditMeta } from '../audit/audit-input';
import type { AuditService } from '../audit/audit.service';
import type { WebhookService } from '../webhooks/webhook.service';
import type { DeadLetterInfo } from '../webhooks/webhook-delivery.service';
import type { NotificationService } from '../notifications/notification.service';
import type { KeyService } from '../keys/key.service';
import type { OrgPolicyService } from '../orgs/org-policy.service';
import type { GeoIp } from '../geo/geo.service';
import type { KeyDirectory } from '../usage/key-directory';
import type { VerifySignal } from '../verify/verify-signals';
import { AlertRaiser, type RaiseInput } from './alert-raiser';
import { AlertQueries, type AlertFilter, type AlertPage } from './alert-queries';
import { AlertDetector } from './alert-detector';
import { AnomalyScanner } from './anomaly';
import { AutoResponder } from './alert-response';
import { alertActionModel, type AlertDoc } from './alert.model';
import type { AlertType } from './alert-rules';

export interface AlertDeps {
  conn: Connection;
  redis: Redis;
  config: Config;
  logger: Logger;
  pubsub: RedisPubSub;
  audit: AuditService;
  webhooks: WebhookService;
  keys: Pick<KeyService, 'suspendApiKey'>;
  orgPolicy: Pick<OrgPolicyService, 'getPolicy'>;
  geo: GeoIp;
  directory: KeyDirectory;
  onRaised?(type: AlertType, severity: AlertSeverity): void;
  /** In-app notifications: the owner of a key suspended by an alert hears about it. */
  notifications?: Pick<NotificationService, 'notify'>;
}

/**
 * Security alerts (`services.alerts`, docs/MONITORING.md): detection from verify
 * signals and volume baselines, de-duplicated alerts with acknowledge / resolve, and
 * the automatic response of organization policy.
 */
export class AlertService {
  readonly raiser: AlertRaiser;
  private readonly queries: AlertQueries;
  private readonly detector: AlertDetector;
  private readonly anomaly: AnomalyScanner;

  constructor(deps: AlertDeps) {
    alertActionModel(deps.conn);
    const prefix = deps.config.REDIS_PREFIX;
    this.raiser = new AlertRaiser(deps);
    this.raiser.setResponder(new AutoResponder(deps));
    this.queries = new AlertQueries({ model: this.raiser.model, redis: deps.redis, prefix, audit: deps.audit, counterKey: (o, d) => this.raiser.counterKey(o, d) });
    this.detector = new AlertDetector({ redis: deps.redis, prefix, alerts: this.raiser, directory: deps.directory, geo: deps.geo, audit: deps.audit, logger: deps.logger });
    this.anomaly = new AnomalyScanner({ conn: deps.conn, redis: deps.redis, prefix, alerts: this.raiser, directory: deps.directory });
  }

  /** The SignalBuffer consumer. */
  onSignals(batch: readonly VerifySignal[]): Promise<void> {
    return this.detector.onSignals(batch);
  }

  raise(input: RaiseInput): Promise<AlertDoc | null> {
    return this.raiser.raise(input);
  }

  /** The anomaly job: one closed minute against every active key's baseline. */
  scanAnomalies(minute?: number): Promise<{ keys: number; alerts: number }> {
    return this.anomaly.scan(minute);
  }

  observeVolume(keyId: string, minute: number, requests: number) {
    return this.anomaly.observe(keyId, minute, requests);
  }

  /** The webhooks worker's `onDeadLetter` hook. */
  async webhookDeadLetter(info: DeadLetterInfo): Promise<void> {
    await this.raiser.raise({
      orgId: info.orgId,
      type: 'WEBHOOK_DEAD_LETTER',
      subject: info.endpointId,
      count: 1,
      at: Date.now(),
      summary: `${info.eventType} delivery ${info.deliveryId} failed ${info.attempts} times${info.lastError ? `: ${info.lastError}` : ''}`,
      details: { endpointId: info.endpointId, deliveryId: info.deliveryId, eventType: info.eventType, attempts: info.attempts },
    });
  }

  list(orgId: string, filter?: AlertFilter, page?: { first?: number | null; after?: string | null }): Promise<AlertPage> {
    return this.queries.list(orgId, filter, page);
  }

  get(orgId: string, id: string): Promise<AlertDoc> {
    return this.queries.get(orgId, id);
  }

  acknowledge(orgId: string, id: string, actor: AuditActor, meta?: AuditMeta): Promise<AlertDoc> {
    return this.queries.acknowledge(orgId, id, actor, meta);
  }

  resolve(orgId: string, id: string, actor: AuditActor, meta?: AuditMeta): Promise<AlertDoc> {
    return this.queries.resolve(orgId, id, actor, meta);
  }
}
