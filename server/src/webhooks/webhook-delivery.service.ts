import type { Connection, Model } from 'mongoose';
import type { Redis } from 'ioredis';
import type { Config } from '../infra/config';
import type { Logger } from '../infra/logger';
import { kekFromConfig } from '../infra/crypto';
import { withEntityLock } from '../infra/entity-lock';
import {
  attemptId,
  DeliveryStatus,
  webhookAttemptModel,
  webhookDeliveryModel,
  webhookEndpointModel,
  type WebhookAttemptDoc,
  type WebhookDeliveryDoc,
  type WebhookEndpointDoc,
} from './webhook.model';
import { activeSecrets, signatureHeader } from './webhook-signature';
import { postWebhook } from './webhook-http';
import { DEFAULT_WEBHOOK_SCHEDULE_MS, retryDelayMs, validateSchedule } from './webhook-schedule';
import type { WebhookQueue } from './webhook.queue';
import type { Resolver } from './webhook-url';
import type { AuditSink } from '../audit/audit-input';

export interface DeadLetterInfo {
  orgId: string;
  deliveryId: string;
  endpointId: string;
  eventType: string;
  attempts: number;
  lastError: string | null;
}

export interface EndpointDisabledInfo {
  orgId: string;
  endpointId: string;
  reason: string;
}

/** What a worker may tune; the rest comes from the WebhookService that creates it. */
export interface DeliveryServiceOptions {
  /** Delay before each attempt of a series (ms, first is 0); tests shrink it. */
  scheduleMs?: readonly number[];
  timeoutMs?: number;
  resolve?: Resolver;
  /**
   * Integration point for the alerts module: the owner is told when a delivery is
   * dead-lettered. Until alerts land the default logs at warn.
   */
  onDeadLetter?: (info: DeadLetterInfo) => Promise<void> | void;
  onEndpointDisabled?: (info: EndpointDisabledInfo) => Promise<void> | void;
}

export interface WebhookDeliveryDeps extends DeliveryServiceOptions {
  config: Config;
  logger: Logger;
  conn: Connection;
  redis: Redis;
  queue: WebhookQueue;
  audit?: AuditSink;
}

/** What one attempt ended in; the worker maps it to BullMQ semantics. */
export type AttemptOutcome =
  | { kind: 'succeeded'; statusCode: number }
  | { kind: 'skipped'; reason: string }
  | { kind: 'retry'; reason: string; delayMs: number }
  | { kind: 'dead'; reason: string }
  | { kind: 'cancelled'; reason: string };

const SYSTEM_ACTOR = { type: 'system' as const, id: 'jobs:webhooks' };

/**
 * Performs delivery attempts. Safe under at-least-once job delivery: a succeeded or
 * superseded delivery is skipped, and the attempt record's primary key
 * (delivery, series, attempt) means a re-run after a crash reuses the recorded
 * outcome instead of calling the receiver again.
 */
export class WebhookDeliveryService {
  readonly scheduleMs: readonly number[];
  private readonly Endpoint: Model<WebhookEndpointDoc>;
  private readonly Delivery: Model<WebhookDeliveryDoc>;
  private readonly Attempt: Model<WebhookAttemptDoc>;

  constructor(private readonly deps: WebhookDeliveryDeps) {
    this.scheduleMs = validateSchedule(deps.scheduleMs ?? DEFAULT_WEBHOOK_SCHEDULE_MS);
    this.Endpoint = webhookEndpointModel(deps.conn);
    this.Delivery = webhookDeliveryModel(deps.conn);
    this.Attempt = webhookAttemptModel(deps.conn);
  }

  /** Delay before the next attempt after `attemptsMade`; -1 when the series is over. */
  retryDelayMs(attemptsMade: number): number {
    return retryDelayMs(this.scheduleMs, attemptsMade);
  }

  /** Attempt `attempt` (1-based) of the delivery's series `series`. */
  async attempt(deliveryId: string, series: number, attempt: number): Promise<AttemptOutcome> {
    const d = await this.Delivery.findById(deliveryId).lean<WebhookDeliveryDoc>();
    if (!d) return { kind: 'cancelled', reason: 'delivery no longer exists' };
    const skip = this.skipReason(d, series);
    if (skip) return { kind: 'skipped', reason: skip };

    let rec = await this.Attempt.findById(attemptId(deliveryId, series, attempt)).lean<WebhookAttemptDoc>();
    if (!rec) {
      const ep = await this.Endpoint.findOne({ _id: d.endpointId, orgId: d.orgId }).lean<WebhookEndpointDoc>();
      if (!ep) return this.cancel(d, 'the endpoint was deleted');
      if (!ep.enabled) return this.cancel(d, `the endpoint is disabled${ep.disabledReason ? `: ${ep.disabledReason}` : ''}`);
      rec = await this.send(d, ep, series, attempt);
    }
    return this.settle(d._id, series, attempt, rec);
  }

  /** Re-adds jobs for deliveries created while Redis was away (job ids make this idempotent). */
  async requeueUnqueued(olderThanMs = 60_000, limit = 500): Promise<number> {
    const stale = await this.Delivery.find({ status: DeliveryStatus.pending, attemptCount: 0, updatedAt: { $lt: new Date(Date.now() - olderThanMs) } })
      .limit(limit)
      .lean<WebhookDeliveryDoc[]>();
    for (const d of stale) await this.deps.queue.enqueue({ deliveryId: d._id, orgId: d.orgId, series: d.series });
    return stale.length;
  }

  private skipReason(d: WebhookDeliveryDoc, series: number): string | null {
    if (d.series !== series) return `superseded by attempt series ${d.series}`;
    if (d.status === DeliveryStatus.succeeded || d.status === DeliveryStatus.dead || d.status === DeliveryStatus.cancelled) {
      return `already ${d.status}`;
    }
    return null;
  }

  private async send(d: WebhookDeliveryDoc, ep: WebhookEndpointDoc, series: number, attempt: number): Promise<WebhookAttemptDoc> {
    const now = new Date();
    const ts = Math.floor(now.getTime() / 1000);
    const secrets = activeSecrets(ep, [kekFromConfig(this.deps.config)], now);
    const headers = { 'webhook-id': d._id, 'webhook-timestamp': String(ts), 'webhook-signature': signatureHeader(secrets, d._id, ts, d.body) };
    const r = await postWebhook(ep.url, headers, d.body, {
      timeoutMs: this.deps.timeoutMs ?? 15_000,
      allowLoopback: this.deps.config.LATCHKEY_WEBHOOK_ALLOW_LOOPBACK,
      resolve: this.deps.resolve,
      userAgent: 'Latchkey-Webhooks/1',
    });
    const rec: WebhookAttemptDoc = {
      _id: attemptId(d._id, series, attempt),
      orgId: d.orgId,
      deliveryId: d._id,
      endpointId: d.endpointId,
      series,
      attempt,
      at: now,
      success: r.error === undefined,
      statusCode: r.statusCode ?? null,
      latencyMs: r.latencyMs,
      error: r.error ?? null,
      refused: r.refused === true,
      responseSnippet: r.responseSnippet ?? null,
    };
    try {
      await this.Attempt.create(rec);
      return rec;
    } catch (err) {
      if ((err as { code?: number }).code !== 11000) throw err;
      // A concurrent run of the same job recorded first: its outcome is the one.
      return (await this.Attempt.findById(rec._id).lean<WebhookAttemptDoc>()) ?? rec;
    }
  }

  /** Moves the delivery on from a recorded attempt, under the delivery's lock. */
  private async settle(deliveryId: string, series: number, attempt: number, rec: WebhookAttemptDoc): Promise<AttemptOutcome> {
    let after: (() => Promise<void>) | undefined;
    const outcome = await this.locked(deliveryId, async (): Promise<AttemptOutcome> => {
      const d = await this.Delivery.findById(deliveryId).lean<WebhookDeliveryDoc>();
      if (!d) return { kind: 'cancelled', reason: 'delivery no longer exists' };
      const skip = this.skipReason(d, series);
      if (skip) return { kind: 'skipped', reason: skip };
      const base = { attemptCount: Math.max(d.attemptCount, attempt), lastStatusCode: rec.statusCode ?? null, lastError: rec.error ?? null, lastAttemptAt: rec.at };
      if (rec.success) {
        await this.update(d, { ...base, status: DeliveryStatus.succeeded, succeededAt: rec.at, finishedAt: rec.at, nextAttemptAt: null });
        return { kind: 'succeeded', statusCode: rec.statusCode ?? 200 };
      }
      if (rec.statusCode === 410) {
        const reason = 'the receiver answered 410 Gone';
        await this.update(d, { ...base, status: DeliveryStatus.dead, finishedAt: new Date(), nextAttemptAt: null });
        after = () => this.disableEndpoint(d, `${reason} at ${rec.at.toISOString()}`);
        return { kind: 'dead', reason: `${reason}; endpoint disabled` };
      }
      const delayMs = rec.refused ? -1 : this.retryDelayMs(attempt);
      if (delayMs < 0) {
        await this.update(d, { ...base, status: DeliveryStatus.dead, finishedAt: new Date(), nextAttemptAt: null });
        const info = { orgId: d.orgId, deliveryId: d._id, endpointId: d.endpointId, eventType: d.eventType, attempts: attempt, lastError: rec.error ?? null };
        after = () => this.deadLetter(info);
        return { kind: 'dead', reason: rec.error ?? 'failed' };
      }
      await this.update(d, { ...base, status: DeliveryStatus.retrying, nextAttemptAt: new Date(Date.now() + delayMs) });
      return { kind: 'retry', reason: rec.error ?? 'failed', delayMs };
    });
    // Hooks run outside the lock, once: only the run that made the transition sets `after`.
    if (after) await after();
    return outcome;
  }

  private async cancel(d: WebhookDeliveryDoc, reason: string): Promise<AttemptOutcome> {
    return this.locked(d._id, async () => {
      const cur = await this.Delivery.findById(d._id).lean<WebhookDeliveryDoc>();
      if (!cur) return { kind: 'cancelled', reason };
      const skip = this.skipReason(cur, d.series);
      if (skip) return { kind: 'skipped', reason: skip };
      await this.update(cur, { status: DeliveryStatus.cancelled, lastError: reason, finishedAt: new Date(), nextAttemptAt: null });
      return { kind: 'cancelled', reason };
    });
  }

  private async update(d: WebhookDeliveryDoc, set: Partial<WebhookDeliveryDoc>): Promise<void> {
    await this.Delivery.updateOne({ _id: d._id }, { $set: set });
  }

  private async disableEndpoint(d: WebhookDeliveryDoc, reason: string): Promise<void> {
    const changed = await this.locked(d.endpointId, async () => {
      const ep = await this.Endpoint.findById(d.endpointId).lean<WebhookEndpointDoc>();
      if (!ep || !ep.enabled) return false;
      await this.Endpoint.updateOne(
        { _id: ep._id },
        { $set: { enabled: false, disabledReason: reason, disabledAt: new Date(), version: ep.version + 1 } },
      );
      return true;
    });
    if (!changed) return;
    await this.deps.audit?.append({
      orgId: d.orgId,
      actor: SYSTEM_ACTOR,
      action: 'webhook.disabled',
      target: { type: 'webhook', id: d.endpointId },
      before: { enabled: true },
      after: { enabled: false, disabledReason: reason },
    });
    const info = { orgId: d.orgId, endpointId: d.endpointId, reason };
    if (this.deps.onEndpointDisabled) await this.deps.onEndpointDisabled(info);
    else this.deps.logger.warn(info, 'webhook endpoint disabled');
  }

  private async deadLetter(info: DeadLetterInfo): Promise<void> {
    if (this.deps.onDeadLetter) await this.deps.onDeadLetter(info);
    else this.deps.logger.warn(info, 'webhook delivery dead-lettered: every attempt failed');
  }

  private locked<T>(entityId: string, fn: () => Promise<T>): Promise<T> {
    return withEntityLock(this.deps.redis, this.deps.config.REDIS_PREFIX, entityId, fn);
  }
}
