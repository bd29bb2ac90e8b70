import type { Connection, Model } from 'mongoose';
import type { Redis } from 'ioredis';
import { IdPrefix, Topic, type AlertSeverity } from '@latchkey/schema';
import type { Config } from '../infra/config';
import type { Logger } from '../infra/logger';
import type { RedisPubSub } from '../infra/pubsub';
import { newId } from '../infra/ids';
import { withEntityLock } from '../infra/entity-lock';
import { LuaScript } from '../infra/lua-script';
import type { AuditService } from '../audit/audit.service';
import type { WebhookService } from '../webhooks/webhook.service';
import { ALERT_RULES, SEVERITY_RANK, maxSeverity, severityFor, type AlertType } from './alert-rules';
import { alertModel, isDuplicateKey, type AlertDetail, type AlertDoc } from './alert.model';
import { alertData, alertMessage } from './alert-views';
import type { AutoResponder } from './alert-response';

const COUNT = new LuaScript('alert-count-1.lua', __dirname);
export const ALERTS_ACTOR = { type: 'system' as const, id: 'alerts' };

/** One observation (or a batch of them) that may open or update an alert. */
export interface RaiseInput {
  orgId: string;
  type: AlertType;
  /** What the alert is about within its type: a key id, an IP, an endpoint id. */
  subject: string;
  /** Occurrences represented by this call (≥ 1). */
  count: number;
  /** Newest and oldest occurrence (ms); oldest defaults to `at`. */
  at: number;
  firstAt?: number;
  summary: string;
  keyId?: string | null;
  ownerId?: string | null;
  ip?: string | null;
  details?: Record<string, string | number | boolean>;
  /** Severity of this observation when it is not the rule's default (e.g. volume ratio). */
  severity?: AlertSeverity;
}

export interface AlertRaiserDeps {
  conn: Connection;
  redis: Redis;
  config: Config;
  logger: Logger;
  pubsub: RedisPubSub;
  audit: AuditService;
  webhooks: WebhookService;
  onRaised?(type: AlertType, severity: AlertSeverity): void;
}

/**
 * Opens, de-duplicates and escalates alerts; every new (or escalated) alert is audited,
 * announced to webhooks (`alert.raised`) and published on the organization's channel,
 * and a critical one is handed to the automatic response (org policy).
 */
export class AlertRaiser {
  readonly model: Model<AlertDoc>;
  private responder: AutoResponder | undefined;

  constructor(private readonly deps: AlertRaiserDeps) {
    this.model = alertModel(deps.conn);
  }

  setResponder(r: AutoResponder): void {
    this.responder = r;
  }

  counterKey(orgId: string, dedupeKey: string): string {
    return `${this.deps.config.REDIS_PREFIX}:alr:${orgId}:${dedupeKey}`;
  }

  async raise(input: RaiseInput): Promise<AlertDoc | null> {
    const rule = ALERT_RULES[input.type];
    const dedupeKey = `${input.type}|${input.subject}|${Math.floor(input.at / rule.windowMs)}`;
    const counter = this.counterKey(input.orgId, dedupeKey);
    const countArgs = [Math.max(1, Math.floor(input.count)), input.at, input.firstAt ?? input.at, Math.ceil((2 * rule.windowMs) / 1000)];
    const [total, first, last] = (await COUNT.run(this.deps.redis, [counter], countArgs)) as number[];
    const severity = severityFor(input.type, total ?? input.count, input.severity);
    const now = new Date();
    const doc: AlertDoc = {
      _id: newId(IdPrefix.alert),
      orgId: input.orgId,
      dedupeKey,
      type: input.type,
      severity,
      status: 'open',
      title: rule.title,
      summary: input.summary.slice(0, 500),
      keyId: input.keyId ?? null,
      ownerId: input.ownerId ?? null,
      ip: input.ip ?? null,
      count: total ?? input.count,
      firstSeen: new Date(first ?? input.at),
      lastSeen: new Date(last ?? input.at),
      details: toDetails(input.details),
      response: null,
      acknowledgedBy: null,
      acknowledgedAt: null,
      resolvedBy: null,
      resolvedAt: null,
      createdAt: now,
      version: 0,
    };
    try {
      await this.model.create(doc);
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      return this.bump(input.orgId, dedupeKey, counter, severity);
    }
    await this.announce(doc, false);
    return doc;
  }

  /** A duplicate: copy the Redis totals in under the alert's lock; escalate once if needed. */
  private async bump(orgId: string, dedupeKey: string, counter: string, severity: AlertSeverity): Promise<AlertDoc | null> {
    const escalated = await withEntityLock(this.deps.redis, this.deps.config.REDIS_PREFIX, `alr:${orgId}:${dedupeKey}`, async () => {
      const cur = await this.model.findOne({ orgId, dedupeKey }).lean<AlertDoc>().exec();
      if (!cur) return null;
      const c = await this.deps.redis.hmget(counter, 'n', 'l');
      const count = Math.max(cur.count, Number(c[0]) || 0);
      const lastSeen = new Date(Math.max(cur.lastSeen.getTime(), Number(c[1]) || 0));
      const sev = maxSeverity(cur.severity, severity);
      const up = SEVERITY_RANK[sev] > SEVERITY_RANK[cur.severity];
      const after = await this.model
        .findOneAndUpdate({ _id: cur._id, orgId }, { $set: { count, lastSeen, severity: sev, version: cur.version + 1 } }, { returnDocument: 'after' })
        .lean<AlertDoc>()
        .exec();
      return up ? after : null;
    });
    if (escalated) await this.announce(escalated, true);
    return escalated;
  }

  /** Audit, webhook, realtime — in that order: the audit record must not be lost. */
  private async announce(doc: AlertDoc, escalated: boolean): Promise<void> {
    const { audit, webhooks, pubsub, logger } = this.deps;
    this.deps.onRaised?.(doc.type, doc.severity);
    await audit.append({
      orgId: doc.orgId,
      actor: ALERTS_ACTOR,
      action: escalated ? 'alert.escalated' : 'alert.raised',
      target: { type: 'alert', id: doc._id },
      before: null,
      after: { type: doc.type, severity: doc.severity, keyId: doc.keyId, ip: doc.ip, count: doc.count, summary: doc.summary },
    });
    await pubsub.publish(Topic.alertRaised(doc.orgId), alertMessage(doc, escalated)).catch((err: unknown) => logger.warn({ err, alertId: doc._id }, 'alert not published'));
    const eventId = escalated ? `alert.escalated:${doc._id}:${doc.severity}` : `alert.raised:${doc._id}`;
    await webhooks.emit(doc.orgId, 'alert.raised', { ...alertData(doc), escalated }, { eventId });
    if (doc.severity === 'critical' && this.responder) {
      await this.responder.onCritical(doc).catch((err: unknown) => logger.error({ err, alertId: doc._id }, 'automatic alert response failed'));
    }
  }
}

function toDetails(d: RaiseInput['details']): AlertDetail[] {
  if (!d) return [];
  return Object.entries(d).map(([name, value]) => ({ name, value: String(value).slice(0, 300) }));
}
