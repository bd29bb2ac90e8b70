import type { Model } from 'mongoose';
import { IdPrefix, type WebhookEvent } from '@latchkey/schema';
import type { Logger } from '../infra/logger';
import { AppError } from '../infra/app-error';
import { newId } from '../infra/ids';
import { DeliveryStatus, webhookAttemptModel, type WebhookAttemptDoc, type WebhookDeliveryDoc } from './webhook.model';
import { deliveryView, type WebhookDeliveryView } from './webhook-views';
import { scrubSecrets } from './webhook-validate';
import type { WebhookQueue } from './webhook.queue';
import type { Connection } from 'mongoose';

export const MAX_BODY_BYTES = 256 * 1024;
/** A delivery "in progress" whose next attempt is this overdue is stuck, and may be replayed. */
export const STUCK_AFTER_MS = 15 * 60_000;

export interface DeliveryFilter {
  endpointId?: string | null;
  status?: DeliveryStatus | null;
  first?: number | null;
  /** Cursor: the id of the last delivery of the previous page. */
  after?: string | null;
}

export interface DeliveryPage {
  nodes: WebhookDeliveryView[];
  endCursor: string | null;
  hasNextPage: boolean;
}

interface Deps {
  logger: Logger;
  conn: Connection;
  queue: WebhookQueue;
  Delivery: Model<WebhookDeliveryDoc>;
}

/** Delivery records: creation (fan-out), replay and the delivery log. */
export class WebhookDeliveries {
  private readonly Attempt: Model<WebhookAttemptDoc>;

  constructor(private readonly deps: Deps) {
    this.Attempt = webhookAttemptModel(deps.conn);
  }

  /**
   * One delivery per target endpoint, then one job each. The unique (endpointId,
   * eventId) index makes a repeated emit of the same event a no-op.
   */
  async fanOut(
    orgId: string,
    type: WebhookEvent,
    data: Record<string, unknown>,
    targets: readonly { _id: string }[],
    opts: { eventId: string; occurredAt?: Date },
  ): Promise<{ eventId: string; deliveryIds: string[] }> {
    const { eventId } = opts;
    if (targets.length === 0) return { eventId, deliveryIds: [] };
    const body = JSON.stringify({ type, timestamp: (opts.occurredAt ?? new Date()).toISOString(), data: scrubSecrets(data) });
    if (Buffer.byteLength(body) > MAX_BODY_BYTES) throw new Error(`webhook body of ${type} exceeds ${MAX_BODY_BYTES} bytes`);
    const created: string[] = [];
    for (const ep of targets) {
      const id = newId(IdPrefix.delivery);
      try {
        await this.deps.Delivery.create({
          _id: id,
          orgId,
          endpointId: ep._id,
          eventId,
          eventType: type,
          body,
          status: DeliveryStatus.pending,
          series: 1,
          attemptCount: 0,
          nextAttemptAt: new Date(),
        });
        created.push(id);
      } catch (err) {
        if ((err as { code?: number }).code !== 11000) throw err;
        // Same event already delivered (or queued) to this endpoint.
      }
    }
    for (const deliveryId of created) await this.enqueue(orgId, deliveryId, 1);
    return { eventId, deliveryIds: created };
  }

  /** Starts a new attempt series (same webhook-id, same body). Call under the delivery's lock. */
  async replay(orgId: string, id: string, checkEndpoint: (endpointId: string) => Promise<void>): Promise<WebhookDeliveryView> {
    const d = await this.deps.Delivery.findOne({ _id: id, orgId }).lean<WebhookDeliveryDoc>();
    if (!d) throw AppError.notFound('webhook delivery');
    const inProgress =
      (d.status === DeliveryStatus.pending || d.status === DeliveryStatus.retrying) &&
      (!d.nextAttemptAt || d.nextAttemptAt.getTime() > Date.now() - STUCK_AFTER_MS);
    if (inProgress) throw AppError.invalidState('the delivery is still being attempted; replay it once it has succeeded or failed', { status: d.status });
    await checkEndpoint(d.endpointId);
    const series = d.series + 1;
    const after = await this.deps.Delivery.findOneAndUpdate(
      { _id: id, orgId },
      {
        $set: {
          series,
          status: DeliveryStatus.pending,
          attemptCount: 0,
          nextAttemptAt: new Date(),
          finishedAt: null,
          succeededAt: null,
          lastError: null,
          lastStatusCode: null,
        },
      },
      { returnDocument: 'after' },
    ).lean<WebhookDeliveryDoc>();
    if (!after) throw AppError.notFound('webhook delivery');
    await this.enqueue(orgId, id, series);
    return this.withAttempts([after]).then((v) => v[0] as WebhookDeliveryView);
  }

  async get(orgId: string, id: string): Promise<WebhookDeliveryView> {
    const d = await this.deps.Delivery.findOne({ _id: id, orgId }).lean<WebhookDeliveryDoc>();
    if (!d) throw AppError.notFound('webhook delivery');
    return (await this.withAttempts([d]))[0] as WebhookDeliveryView;
  }

  /** Newest first; ids are time-ordered, so the id is the cursor. */
  async list(orgId: string, f: DeliveryFilter): Promise<DeliveryPage> {
    const first = f.first ?? 20;
    if (!Number.isInteger(first) || first < 1 || first > 100) {
      throw AppError.badInput('invalid page size', [{ path: ['first'], message: 'must be between 1 and 100' }]);
    }
    const q: Record<string, unknown> = { orgId };
    if (f.endpointId) q.endpointId = f.endpointId;
    if (f.status) q.status = f.status;
    if (f.after) q._id = { $lt: f.after };
    const docs = await this.deps.Delivery.find(q)
      .sort({ _id: -1 })
      .limit(first + 1)
      .lean<WebhookDeliveryDoc[]>();
    const page = docs.slice(0, first);
    const nodes = await this.withAttempts(page);
    return { nodes, endCursor: page.at(-1)?._id ?? null, hasNextPage: docs.length > first };
  }

  private async withAttempts(docs: WebhookDeliveryDoc[]): Promise<WebhookDeliveryView[]> {
    if (docs.length === 0) return [];
    const attempts = await this.Attempt.find({ deliveryId: { $in: docs.map((d) => d._id) } })
      .sort({ series: 1, attempt: 1 })
      .lean<WebhookAttemptDoc[]>();
    const byDelivery = new Map<string, WebhookAttemptDoc[]>();
    for (const a of attempts) byDelivery.set(a.deliveryId, [...(byDelivery.get(a.deliveryId) ?? []), a]);
    return docs.map((d) => deliveryView(d, byDelivery.get(d._id) ?? []));
  }

  private async enqueue(orgId: string, deliveryId: string, series: number): Promise<void> {
    try {
      await this.deps.queue.enqueue({ deliveryId, orgId, series });
    } catch (err) {
      // The record exists; the jobs process's sweep adds the job once Redis is back.
      this.deps.logger.warn({ err: (err as Error).message, deliveryId }, 'webhook job not enqueued; the sweep will retry');
    }
  }
}
