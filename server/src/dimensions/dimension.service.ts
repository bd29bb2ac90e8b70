import type { Connection } from 'mongoose';
import { LRUCache } from 'lru-cache';
import { z } from 'zod';
import { Topic } from '@latchkey/schema';
import type { AuditService } from '../audit/audit.service';
import type { AuditMeta } from '../audit/audit-input';
import type { Principal } from '../access/principal';
import { AppError } from '../infra/app-error';
import type { RedisPubSub } from '../infra/pubsub';
import { actorOf } from '../access/principal';
import { parseInput } from '../access/validation';
import { apiKeyModel } from '../keys/key.model';
import { dimensionModel, type DimensionDoc } from './dimension.model';

/** Built into every organization (ISSUE 10): name → unit. */
export const BUILTIN_DIMENSIONS: Readonly<Record<string, string>> = {
  cpu_ms: 'milliseconds of CPU',
  memory_mb_s: 'MB-seconds of memory',
  storage_ops: 'storage operations',
  db_queries: 'database queries',
  connections: 'connections',
};

export interface MeteredDimension {
  name: string;
  unit: string;
  description: string;
  builtin: boolean;
}

const NAME = z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, 'lowercase letters, digits and _ (1–40), starting with a letter');
const CreateInput = z.object({
  name: NAME,
  unit: z.string().trim().min(1, 'is required').max(40, 'at most 40 characters'),
  description: z.string().max(500, 'at most 500 characters').optional(),
});

/**
 * The catalogue of metered dimensions a key may be limited on and charged in: the
 * built-ins plus the organization's own. Keys naming anything else are refused, and a
 * dimension cannot be deleted while a live key still limits it.
 */
export class DimensionService {
  /** Per organization for 5 s (the catalogue changes rarely); bounded by organizations seen. */
  private readonly cache = new LRUCache<string, Set<string>>({ max: 10_000, ttl: 5_000 });

  constructor(private readonly deps: { conn: Connection; audit: Pick<AuditService, 'append'>; pubsub: Pick<RedisPubSub, 'publish'> }) {
    dimensionModel(deps.conn);
  }

  async list(orgId: string): Promise<MeteredDimension[]> {
    const own = await dimensionModel(this.deps.conn).find({ orgId }).sort({ name: 1 }).lean<DimensionDoc[]>().exec();
    return [
      ...Object.entries(BUILTIN_DIMENSIONS).map(([name, unit]) => ({ name, unit, description: '', builtin: true })),
      ...own.map((d) => ({ name: d.name, unit: d.unit, description: d.description, builtin: false })),
    ];
  }

  /** Names known to the organization; cached briefly (the catalogue changes rarely). */
  async names(orgId: string): Promise<Set<string>> {
    const hit = this.cache.get(orgId);
    if (hit) return hit;
    const names = new Set((await this.list(orgId)).map((d) => d.name));
    this.cache.set(orgId, names);
    return names;
  }

  /** BAD_USER_INPUT naming each unknown dimension of a key's limits. */
  async assertKnown(orgId: string, dims: readonly { name: string }[] | undefined, basePath: (string | number)[]): Promise<void> {
    if (!dims?.length) return;
    const known = await this.names(orgId);
    const problems = dims.flatMap((d, i) =>
      known.has(d.name) ? [] : [{ path: [...basePath, 'rateLimit', 'dimensions', i, 'name'], message: `unknown metered dimension ${d.name}; define it first (meteredDimensions)` }],
    );
    if (problems.length) throw AppError.badInput(problems[0]?.message ?? 'unknown metered dimension', problems);
  }

  async create(p: Principal, input: unknown, meta?: AuditMeta): Promise<MeteredDimension> {
    const v = parseInput(CreateInput, input, ['input']);
    if (BUILTIN_DIMENSIONS[v.name]) throw AppError.badInput(`${v.name} is a built-in dimension`, [{ path: ['input', 'name'], message: 'is a built-in dimension' }]);
    const doc: DimensionDoc = { _id: `${p.orgId}:${v.name}`, orgId: p.orgId, name: v.name, unit: v.unit, description: v.description ?? '', createdBy: p.id, createdAt: new Date() };
    try {
      await dimensionModel(this.deps.conn).create(doc);
    } catch (e) {
      if ((e as { code?: number }).code === 11000) throw AppError.conflict(`dimension ${v.name} already exists`);
      throw e;
    }
    this.cache.delete(p.orgId);
    // Verify caches know each organization's dimensions: a new one must reach every node.
    await this.deps.pubsub.publish(Topic.keyChanged, { orgId: p.orgId, allOfOrg: true, at: Date.now() });
    await this.deps.audit.append({
      orgId: p.orgId,
      actor: actorOf(p),
      action: 'dimension.created',
      target: { type: 'dimension', id: v.name },
      after: { name: v.name, unit: v.unit },
      meta,
    });
    return { name: doc.name, unit: doc.unit, description: doc.description, builtin: false };
  }

  async delete(p: Principal, name: string, meta?: AuditMeta): Promise<MeteredDimension> {
    if (BUILTIN_DIMENSIONS[name]) throw AppError.invalidState(`${name} is a built-in dimension and cannot be deleted`);
    const model = dimensionModel(this.deps.conn);
    const doc = await model.findOne({ _id: `${p.orgId}:${name}` }).lean<DimensionDoc>().exec();
    if (!doc) throw AppError.notFound('dimension');
    const holders = await apiKeyModel(this.deps.conn)
      .countDocuments({ orgId: p.orgId, status: { $nin: ['revoked', 'expired'] }, 'limits.dimensions.name': name })
      .exec();
    if (holders > 0) throw AppError.invalidState(`dimension ${name} is still limited by ${holders} key${holders === 1 ? '' : 's'}; remove it from them first`, { keys: holders });
    await model.deleteOne({ _id: doc._id }).exec();
    this.cache.delete(p.orgId);
    await this.deps.audit.append({
      orgId: p.orgId,
      actor: actorOf(p),
      action: 'dimension.deleted',
      target: { type: 'dimension', id: name },
      before: { name, unit: doc.unit },
      meta,
    });
    return { name, unit: doc.unit, description: doc.description, builtin: false };
  }
}
