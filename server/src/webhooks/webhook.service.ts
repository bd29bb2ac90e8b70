import type { Connection, Model } from 'mongoose';
import type { Redis } from 'ioredis';
import { IdPrefix, WEBHOOK_EVENTS, type WebhookEvent } from '@latchkey/schema';
import type { Config } from '../infra/config';
import type { Logger } from '../infra/logger';
import { AppError } from '../infra/app-error';
import { newId } from '../infra/ids';
import { kekFromConfig, seal } from '../infra/crypto';
import { withEntityLock } from '../infra/entity-lock';
import type { AuditInput, AuditMeta, AuditSink } from '../audit/audit-input';
import { webhookEndpointModel, webhookDeliveryModel, webhookAttemptModel, type WebhookEndpointDoc } from './webhook.model';
import { generateWebhookSecret } from './webhook-signature';
import { endpointAuditState, endpointView, type WebhookDeliveryView, type WebhookEndpointView } from './webhook-views';
import { MAX_ENDPOINTS_PER_ORG, validateEndpointFields, validateOverlapSeconds, type EndpointFields } from './webhook-validate';
import { WebhookDeliveries, type DeliveryFilter, type DeliveryPage } from './webhook-deliveries';
import type { WebhookQueue } from './webhook.queue';
import type { Resolver } from './webhook-url';
import { WebhookDeliveryService, type DeliveryServiceOptions } from './webhook-delivery.service';

/** Who is acting; resolvers build it from the principal, jobs pass a system actor. */
export interface WebhookActor {
  type: 'user' | 'key' | 'system';
  id: string;
  meta?: AuditMeta;
}

export interface WebhookServiceDeps {
  config: Config;
  logger: Logger;
  conn: Connection;
  redis: Redis;
  queue: WebhookQueue;
  /** Integration point: pass `services.audit` once it exists; without it changes are only logged. */
  audit?: AuditSink;
  /** DNS for the registration-time SSRF check (tests inject one). */
  resolve?: Resolver;
}

export interface EndpointUpdate extends EndpointFields {
  enabled?: boolean | null;
  disabledReason?: string | null;
}

export interface EmitOptions {
  /**
   * Idempotency: deliveries are unique per (endpoint, eventId), so a producer that may
   * run twice (a job retried under at-least-once) passes a deterministic id, e.g.
   * `key.expiring:key_…:7d`. Default: a fresh `evt_…`.
   */
  eventId?: string;
  /** When the event happened (the body's `timestamp`); default now. */
  occurredAt?: Date;
}

export interface EmitResult {
  eventId: string;
  deliveryIds: string[];
}

const KNOWN_EVENTS: ReadonlySet<string> = new Set(WEBHOOK_EVENTS);

/**
 * Webhook endpoints of an organization and the events fanned out to them. Every
 * method takes the org id from the caller's principal; ids of another org answer
 * NOT_FOUND exactly like unknown ids.
 */
export class WebhookService {
  private readonly Endpoint: Model<WebhookEndpointDoc>;
  private readonly deliveries: WebhookDeliveries;

  constructor(private readonly deps: WebhookServiceDeps) {
    this.Endpoint = webhookEndpointModel(deps.conn);
    webhookAttemptModel(deps.conn); // registered now so boot creates its indexes
    this.deliveries = new WebhookDeliveries({ ...deps, Delivery: webhookDeliveryModel(deps.conn) });
  }

  async listEndpoints(orgId: string): Promise<WebhookEndpointView[]> {
    const docs = await this.Endpoint.find({ orgId }).sort({ _id: 1 }).lean<WebhookEndpointDoc[]>();
    return docs.map(endpointView);
  }

  async getEndpoint(orgId: string, id: string): Promise<WebhookEndpointView> {
    return endpointView(await this.load(orgId, id));
  }

  /** The secret is returned here and on rotation only; it is stored sealed. */
  async createEndpoint(orgId: string, input: EndpointFields, actor: WebhookActor): Promise<{ endpoint: WebhookEndpointView; secret: string }> {
    const clean = await validateEndpointFields(input, { required: true, allowLoopback: this.allowLoopback, resolve: this.deps.resolve });
    if ((await this.Endpoint.countDocuments({ orgId })) >= MAX_ENDPOINTS_PER_ORG) {
      throw AppError.invalidState(`an organization may have at most ${MAX_ENDPOINTS_PER_ORG} webhook endpoints`);
    }
    const id = newId(IdPrefix.webhook);
    const secret = generateWebhookSecret();
    const doc = await this.Endpoint.create({
      _id: id,
      orgId,
      url: clean.url as string,
      description: clean.description ?? '',
      events: clean.events ?? [],
      enabled: true,
      secret: seal(kekFromConfig(this.deps.config), id, secret),
      createdBy: actor.id,
    });
    const endpoint = endpointView(doc.toObject());
    await this.audit(orgId, actor, 'webhook.created', id, null, endpointAuditState(endpoint));
    return { endpoint, secret };
  }

  async updateEndpoint(orgId: string, id: string, input: EndpointUpdate, actor: WebhookActor): Promise<WebhookEndpointView> {
    const clean = await validateEndpointFields(input, { required: false, allowLoopback: this.allowLoopback, resolve: this.deps.resolve });
    return this.locked(id, async () => {
      const before = await this.load(orgId, id);
      const set: Record<string, unknown> = { ...clean, version: before.version + 1 };
      if (input.enabled === true) Object.assign(set, { enabled: true, disabledReason: null, disabledAt: null });
      if (input.enabled === false && before.enabled) {
        const reason = input.disabledReason?.trim().slice(0, 500) || `disabled by ${actor.id}`;
        Object.assign(set, { enabled: false, disabledReason: reason, disabledAt: new Date() });
      }
      const after = await this.Endpoint.findOneAndUpdate({ _id: id, orgId }, { $set: set }, { returnDocument: 'after' }).lean<WebhookEndpointDoc>();
      if (!after) throw AppError.notFound('webhook endpoint');
      const view = endpointView(after);
      await this.audit(orgId, actor, 'webhook.updated', id, endpointAuditState(endpointView(before)), endpointAuditState(view));
      return view;
    });
  }

  /** Deliveries still queued for it stop at their next attempt (status `cancelled`). */
  async deleteEndpoint(orgId: string, id: string, actor: WebhookActor): Promise<WebhookEndpointView> {
    return this.locked(id, async () => {
      const doc = await this.Endpoint.findOneAndDelete({ _id: id, orgId }).lean<WebhookEndpointDoc>();
      if (!doc) throw AppError.notFound('webhook endpoint');
      const view = endpointView(doc);
      await this.audit(orgId, actor, 'webhook.deleted', id, endpointAuditState(view), null);
      return view;
    });
  }

  /**
   * New secret now; the old one keeps signing (second signature in the header) until
   * the overlap ends, so receivers can switch without dropping a delivery.
   */
  async rotateSecret(
    orgId: string,
    id: string,
    actor: WebhookActor,
    overlapSeconds?: number | null,
  ): Promise<{ endpoint: WebhookEndpointView; secret: string }> {
    const overlap = validateOverlapSeconds(overlapSeconds);
    return this.locked(id, async () => {
      const before = await this.load(orgId, id);
      const secret = generateWebhookSecret();
      const now = new Date();
      const after = await this.Endpoint.findOneAndUpdate(
        { _id: id, orgId },
        {
          $set: {
            secret: seal(kekFromConfig(this.deps.config), id, secret),
            previousSecret: overlap > 0 ? before.secret : null,
            previousSecretExpiresAt: overlap > 0 ? new Date(now.getTime() + overlap * 1000) : null,
            secretRotatedAt: now,
            version: before.version + 1,
          },
        },
        { returnDocument: 'after' },
      ).lean<WebhookEndpointDoc>();
      if (!after) throw AppError.notFound('webhook endpoint');
      await this.audit(orgId, actor, 'webhook.secret_rotated', id, null, { overlapSeconds: overlap });
      return { endpoint: endpointView(after), secret };
    });
  }

  /**
   * Announce an event to every enabled endpoint of the org subscribed to `type`: one
   * delivery record and one queued job each. Never throws (a webhook problem must not
   * undo the caller's change); failures are logged and the sweep re-enqueues
   * deliveries whose job could not be added.
   */
  async emit(orgId: string, type: WebhookEvent, data: Record<string, unknown>, opts: EmitOptions = {}): Promise<EmitResult> {
    const eventId = opts.eventId ?? newId(IdPrefix.event);
    try {
      if (!KNOWN_EVENTS.has(type)) throw new Error(`unknown webhook event type ${String(type)}`);
      const endpoints = await this.Endpoint.find({ orgId, enabled: true }).lean<WebhookEndpointDoc[]>();
      const targets = endpoints.filter((e) => e.events.length === 0 || e.events.includes(type));
      return await this.deliveries.fanOut(orgId, type, data, targets, { ...opts, eventId });
    } catch (err) {
      this.deps.logger.error({ err, orgId, type, eventId }, 'webhook emit failed');
      return { eventId, deliveryIds: [] };
    }
  }

  /** A `webhook.test` event to one endpoint, whatever its event filter. */
  async sendTest(orgId: string, endpointId: string, actor: WebhookActor): Promise<WebhookDeliveryView> {
    const ep = await this.load(orgId, endpointId);
    if (!ep.enabled) throw AppError.invalidState('the endpoint is disabled; enable it before sending a test event');
    const data = { endpointId, message: 'This is a test event from Latchkey.' };
    const { deliveryIds } = await this.deliveries.fanOut(orgId, 'webhook.test', data, [ep], { eventId: newId(IdPrefix.event) });
    await this.audit(orgId, actor, 'webhook.test_sent', endpointId, null, { deliveryId: deliveryIds[0] });
    return this.deliveries.get(orgId, deliveryIds[0] as string);
  }

  async replayDelivery(orgId: string, deliveryId: string, actor: WebhookActor): Promise<WebhookDeliveryView> {
    const view = await this.locked(deliveryId, () =>
      this.deliveries.replay(orgId, deliveryId, async (endpointId) => {
        const ep = await this.Endpoint.findOne({ _id: endpointId, orgId }).lean<WebhookEndpointDoc>();
        if (!ep) throw AppError.invalidState('the endpoint of this delivery was deleted');
        if (!ep.enabled) throw AppError.invalidState('the endpoint is disabled; enable it before replaying');
      }),
    );
    await this.audit(orgId, actor, 'webhook.delivery_replayed', view.endpointId, null, { deliveryId, series: view.series });
    return view;
  }

  listDeliveries(orgId: string, filter: DeliveryFilter): Promise<DeliveryPage> {
    return this.deliveries.list(orgId, filter);
  }

  /** The attempt side, for the jobs process: same store, queue and audit trail. */
  createDeliveryService(opts: DeliveryServiceOptions = {}): WebhookDeliveryService {
    const { config, logger, conn, redis, queue, audit, resolve } = this.deps;
    return new WebhookDeliveryService({ config, logger, conn, redis, queue, audit, resolve, ...opts });
  }

  private get allowLoopback(): boolean {
    return this.deps.config.LATCHKEY_WEBHOOK_ALLOW_LOOPBACK;
  }

  private async load(orgId: string, id: string): Promise<WebhookEndpointDoc> {
    const doc = await this.Endpoint.findOne({ _id: id, orgId }).lean<WebhookEndpointDoc>();
    if (!doc) throw AppError.notFound('webhook endpoint');
    return doc;
  }

  private locked<T>(entityId: string, fn: () => Promise<T>): Promise<T> {
    return withEntityLock(this.deps.redis, this.deps.config.REDIS_PREFIX, entityId, fn);
  }

  private async audit(
    orgId: string,
    actor: WebhookActor,
    action: string,
    targetId: string,
    before: Record<string, unknown> | null,
    after: Record<string, unknown> | null,
  ): Promise<void> {
    const input: AuditInput = { orgId, actor: { type: actor.type, id: actor.id }, action, target: { type: 'webhook', id: targetId }, before, after, meta: actor.meta };
    if (this.deps.audit) await this.deps.audit.append(input);
    else this.deps.logger.info({ audit: input }, 'webhook change (no audit service wired)');
  }
}
