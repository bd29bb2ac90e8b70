import type { Model } from 'mongoose';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { AppError } from '../infra/app-error';
import { withEntityLock } from '../infra/entity-lock';
import { parseInput } from '../access/validation';
import type { AuditActor, AuditMeta } from '../audit/audit-input';
import type { AuditService } from '../audit/audit.service';
import type { AlertDoc } from './alert.model';
import type { AlertStatus } from './alert-rules';

export interface AlertFilter {
  status?: string[] | null;
  severity?: string[] | null;
  type?: string[] | null;
  keyId?: string | null;
  from?: Date | null;
  to?: Date | null;
}

export interface AlertPage {
  nodes: AlertDoc[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

const PageSchema = z.object({
  first: z.number().int().min(1, 'must be at least 1').max(100, 'must be at most 100').nullish(),
  after: z.string().regex(/^alr_[a-z0-9]{1,64}$/, 'is not a cursor').nullish(),
});

/**
 * Listing (newest first, cursor = last id seen; ids are time-ordered) and the status
 * workflow open → acknowledged → resolved. Every call is scoped by the caller's
 * organization: another organization's alert id answers NOT_FOUND.
 */
export class AlertQueries {
  constructor(
    private readonly deps: { model: Model<AlertDoc>; redis: Redis; prefix: string; audit: AuditService; counterKey(orgId: string, dedupeKey: string): string },
  ) {}

  async list(orgId: string, filter: AlertFilter = {}, page: { first?: number | null; after?: string | null } = {}): Promise<AlertPage> {
    const { first, after } = parseInput(PageSchema, page);
    const limit = first ?? 20;
    const q: Record<string, unknown> = { orgId };
    if (filter.status?.length) q.status = { $in: filter.status };
    if (filter.severity?.length) q.severity = { $in: filter.severity };
    if (filter.type?.length) q.type = { $in: filter.type };
    if (filter.keyId) q.keyId = filter.keyId;
    if (filter.from || filter.to) q.lastSeen = { ...(filter.from ? { $gte: filter.from } : {}), ...(filter.to ? { $lt: filter.to } : {}) };
    if (after) q._id = { $lt: after };
    const rows = await this.deps.model.find(q).sort({ _id: -1 }).limit(limit + 1).lean<AlertDoc[]>().exec();
    const nodes = rows.slice(0, limit);
    return { nodes, pageInfo: { hasNextPage: rows.length > limit, endCursor: nodes.at(-1)?._id ?? null } };
  }

  async get(orgId: string, id: string): Promise<AlertDoc> {
    const doc = await this.deps.model.findOne({ _id: id, orgId }).lean<AlertDoc>().exec();
    if (!doc) throw AppError.notFound('alert');
    return doc;
  }

  acknowledge(orgId: string, id: string, actor: AuditActor, meta?: AuditMeta): Promise<AlertDoc> {
    return this.transition(orgId, id, 'acknowledged', actor, meta);
  }

  resolve(orgId: string, id: string, actor: AuditActor, meta?: AuditMeta): Promise<AlertDoc> {
    return this.transition(orgId, id, 'resolved', actor, meta);
  }

  private async transition(orgId: string, id: string, to: AlertStatus, actor: AuditActor, meta?: AuditMeta): Promise<AlertDoc> {
    await this.get(orgId, id);
    return withEntityLock(this.deps.redis, this.deps.prefix, id, async () => {
      const before = await this.get(orgId, id);
      if (before.status === 'resolved') throw AppError.invalidState('the alert is already resolved', { currentStatus: before.status });
      if (before.status === to) return before; // acknowledging twice is harmless
      const now = new Date();
      const set: Partial<AlertDoc> = { status: to, version: before.version + 1 };
      if (to === 'acknowledged') Object.assign(set, { acknowledgedBy: actor.id, acknowledgedAt: now });
      else {
        // Free the dedupe key: the same problem later opens a new alert instead of reviving this one.
        Object.assign(set, { resolvedBy: actor.id, resolvedAt: now, dedupeKey: `${before.dedupeKey}|resolved|${before._id}` });
      }
      const after = await this.deps.model.findOneAndUpdate({ _id: id, orgId, version: before.version }, { $set: set }, { returnDocument: 'after' }).lean<AlertDoc>().exec();
      if (!after) throw AppError.conflict('the alert changed meanwhile; try again');
      if (to === 'resolved') await this.deps.redis.del(this.deps.counterKey(orgId, before.dedupeKey)).catch(() => undefined);
      await this.deps.audit.append({ orgId, actor, meta, action: `alert.${to}`, target: { type: 'alert', id }, before: { status: before.status }, after: { status: to } });
      return after;
    });
  }
}
