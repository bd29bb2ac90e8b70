import type { Connection, Model } from 'mongoose';
import { z } from 'zod';
import { IdPrefix } from '@latchkey/schema';
import type { Principal } from '../access/principal';
import { AppError } from '../infra/app-error';
import { newId } from '../infra/ids';
import type { Logger } from '../infra/logger';
import type { RedisPubSub } from '../infra/pubsub';
import { requireUserId } from '../access/principal';
import { idSchema, parseInput } from '../access/validation';
import { notificationModel, type NotificationDoc, type NotificationKind } from './notification.model';

/** The live channel of one user's notifications (per organization and user). */
export function notificationTopic(orgId: string, userId: string): string {
  return `org:${orgId}:user:${userId}:notifications`;
}

export interface NotifyInput {
  orgId: string;
  userIds: readonly string[];
  kind: NotificationKind;
  keyId?: string | null;
  title: string;
  body: string;
  /** Deterministic when the producer may run twice; one notification per (dedupeKey, user). */
  dedupeKey?: string;
}

export interface NotificationPage {
  nodes: NotificationDoc[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  unreadCount: number;
}

const ListArgs = z.object({
  unreadOnly: z.boolean().nullish(),
  first: z.number().int('must be an integer').min(1, 'must be at least 1').max(100, 'must be at most 100').nullish(),
  after: idSchema(IdPrefix.notification).nullish(),
});

/**
 * In-app notifications: stored per user (queryable) and published live on the user's
 * topic. Secrets never go in a notification — they say where to claim one instead.
 */
export class NotificationService {
  private readonly model: Model<NotificationDoc>;
  private indexes: Promise<unknown> | null = null;

  constructor(private readonly deps: { conn: Connection; pubsub: RedisPubSub; logger: Logger }) {
    this.model = notificationModel(deps.conn);
  }

  /** Stores one notification per user (skipping ones already stored) and publishes the new ones. */
  async notify(input: NotifyInput): Promise<NotificationDoc[]> {
    await (this.indexes ??= this.model.createIndexes().catch((e: unknown) => {
      this.indexes = null;
      throw e;
    }));
    const created: NotificationDoc[] = [];
    for (const userId of new Set(input.userIds)) {
      const id = newId(IdPrefix.notification);
      const doc: NotificationDoc = {
        _id: id,
        orgId: input.orgId,
        userId,
        kind: input.kind,
        keyId: input.keyId ?? null,
        title: input.title,
        body: input.body,
        dedupeKey: input.dedupeKey ? `${input.dedupeKey}:${userId}` : id,
        readAt: null,
        createdAt: new Date(),
      };
      try {
        await this.model.create(doc);
      } catch (e) {
        if ((e as { code?: number }).code === 11000) continue; // a rerun: this user already has it
        throw e;
      }
      created.push(doc);
      // The stored copy is the record; a lost live push only delays when the user sees it.
      await this.deps.pubsub.publish(notificationTopic(doc.orgId, userId), doc).catch((err: unknown) => {
        this.deps.logger.warn({ err, userId }, 'notification not published live (Redis unavailable)');
      });
    }
    return created;
  }

  /** The signed-in user's notifications, newest first. */
  async list(principal: Principal, args: { unreadOnly?: boolean | null; first?: number | null; after?: string | null }): Promise<NotificationPage> {
    const userId = requireUserId(principal);
    const a = parseInput(ListArgs, args);
    const limit = a.first ?? 20;
    const mine = { orgId: principal.orgId, userId };
    const q: Record<string, unknown> = { ...mine };
    if (a.unreadOnly) q.readAt = null;
    if (a.after) q._id = { $lt: a.after };
    const [rows, unreadCount] = await Promise.all([
      this.model.find(q).sort({ _id: -1 }).limit(limit + 1).lean<NotificationDoc[]>().exec(),
      this.model.countDocuments({ ...mine, readAt: null }).exec(),
    ]);
    const nodes = rows.slice(0, limit);
    return { nodes, pageInfo: { hasNextPage: rows.length > limit, endCursor: nodes.at(-1)?._id ?? null }, unreadCount };
  }

  /** Idempotent; another user's notification answers NOT_FOUND like an unknown id. */
  async markRead(principal: Principal, id: string): Promise<NotificationDoc> {
    const userId = requireUserId(principal);
    parseInput(idSchema(IdPrefix.notification), id, ['id']);
    const filter = { _id: id, orgId: principal.orgId, userId };
    // A single-field set of a value only ever moving from null: no lost update to guard.
    await this.model.updateOne({ ...filter, readAt: null }, { $set: { readAt: new Date() } }).exec();
    const doc = await this.model.findOne(filter).lean<NotificationDoc>().exec();
    if (!doc) throw AppError.notFound(`notification ${id}`);
    return doc;
  }
}
