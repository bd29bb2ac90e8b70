import { z } from 'zod';
import { Environment, IdPrefix } from '@latchkey/schema';
import type { AuditMeta } from '../audit/audit-input';
import type { Principal } from '../access/principal';
import { AppError } from '../infra/app-error';
import { newId } from '../infra/ids';
import { withEntityLock } from '../infra/entity-lock';
import type { AccessDeps } from '../access/deps';
import { actorOf, requireUserId } from '../access/principal';
import { paginate, type Page, type PageArgs } from '../access/pagination';
import { idSchema, parseInput, text, withoutNulls } from '../access/validation';
import type { UserService } from '../users/user.service';
import { applicationModel, type ApplicationDoc } from './application.model';

const ENVIRONMENTS = Object.values(Environment) as [Environment, ...Environment[]];
const environments = z
  .array(z.enum(ENVIRONMENTS, { error: `must be one of ${ENVIRONMENTS.join(', ')}` }), { error: 'must be a list' })
  .min(1, 'needs at least one environment')
  .max(ENVIRONMENTS.length)
  .refine((e) => new Set(e).size === e.length, 'environments must be distinct');
const CreateApplicationInput = z.object({
  name: text(1, 100),
  description: text(0, 1000).optional().default(''),
  ownerId: idSchema(IdPrefix.user).optional(),
  environments: environments.optional().default([...ENVIRONMENTS]),
});
const UpdateApplicationInput = z.object({
  name: text(1, 100).optional(),
  description: text(0, 1000).optional(),
  ownerId: idSchema(IdPrefix.user).optional(),
  environments: environments.optional(),
});
const ListFilter = z.object({ ownerId: idSchema(IdPrefix.user).nullish() });

/** The applications an organization issues keys for. */
export class ApplicationService {
  constructor(private readonly deps: AccessDeps, private readonly users: UserService) {}

  private get model() {
    return applicationModel(this.deps.conn);
  }

  async list(principal: Principal, args: PageArgs, filter: { ownerId?: string | null } = {}): Promise<Page<ApplicationDoc>> {
    const f = parseInput(ListFilter, filter);
    const query: Record<string, unknown> = { orgId: principal.orgId };
    if (f.ownerId) query.ownerId = f.ownerId;
    return paginate(this.model, query, args);
  }

  /** NOT_FOUND for unknown ids and ids of other organizations alike. */
  async get(principal: Principal, id: string, path: (string | number)[] = ['id']): Promise<ApplicationDoc> {
    parseInput(idSchema(IdPrefix.application), id, path);
    const app = await this.model.findOne({ _id: id, orgId: principal.orgId }).lean<ApplicationDoc>().exec();
    if (!app) throw AppError.notFound('application');
    return app;
  }

  async create(principal: Principal, input: unknown, meta?: AuditMeta): Promise<ApplicationDoc> {
    const v = parseInput(CreateApplicationInput, withoutNulls(input), ['input']);
    const ownerId = v.ownerId ?? requireUserId(principal);
    await this.users.get(principal, ownerId, ['input', 'ownerId']);
    const now = new Date();
    const doc: ApplicationDoc = {
      _id: newId(IdPrefix.application),
      orgId: principal.orgId,
      name: v.name,
      description: v.description,
      ownerId,
      environments: v.environments,
      version: 0,
      createdAt: now,
      updatedAt: now,
    };
    try {
      await this.model.create(doc);
    } catch (e) {
      throw nameTaken(e);
    }
    await this.audit(principal, 'application.created', doc._id, null, snapshot(doc), meta);
    return doc;
  }

  async update(principal: Principal, id: string, input: unknown, meta?: AuditMeta): Promise<ApplicationDoc> {
    const v = parseInput(UpdateApplicationInput, withoutNulls(input), ['input']);
    await this.get(principal, id);
    if (v.ownerId) await this.users.get(principal, v.ownerId, ['input', 'ownerId']);
    return withEntityLock(this.deps.redis, this.deps.config.REDIS_PREFIX, id, async () => {
      const before = await this.get(principal, id);
      const set: Partial<ApplicationDoc> = { updatedAt: new Date(), version: before.version + 1 };
      if (v.name !== undefined) set.name = v.name;
      if (v.description !== undefined) set.description = v.description;
      if (v.ownerId !== undefined) set.ownerId = v.ownerId;
      if (v.environments !== undefined) set.environments = v.environments;
      try {
        await this.model.updateOne({ _id: id, orgId: principal.orgId, version: before.version }, { $set: set }).exec();
      } catch (e) {
        throw nameTaken(e);
      }
      const after = await this.get(principal, id);
      await this.audit(principal, 'application.updated', id, snapshot(before), snapshot(after), meta);
      return after;
    });
  }

  private async audit(principal: Principal, action: string, id: string, before: Record<string, unknown> | null, after: Record<string, unknown> | null, meta?: AuditMeta) {
    await this.deps.audit.append({ orgId: principal.orgId, actor: actorOf(principal), action, target: { type: 'application', id }, before, after, meta });
  }
}

function nameTaken(e: unknown): unknown {
  if ((e as { code?: number }).code === 11000) return AppError.badInput('an application with this name exists', [{ path: ['input', 'name'], message: 'is already taken' }]);
  return e;
}

function snapshot(a: ApplicationDoc): Record<string, unknown> {
  return { name: a.name, description: a.description, ownerId: a.ownerId, environments: a.environments };
}
