import { z } from 'zod';
import { BUILTIN_ROLES, IdPrefix, type BuiltinRole } from '@latchkey/schema';
import type { AuditMeta } from '../audit/audit-input';
import type { Principal } from '../access/principal';
import { AppError, type FieldProblem } from '../infra/app-error';
import { newId } from '../infra/ids';
import { findByIds } from '../infra/mongo';
import { withEntityLock } from '../infra/entity-lock';
import { announceOrgKeysChanged, type AccessDeps } from '../access/deps';
import { actorOf } from '../access/principal';
import { expandScopes, normalizeScopes, scopeProblem, scopesWithin, type Catalogue } from '../access/policy';
import { BUILTIN_ROLE_DEFINITIONS } from '../access/builtin-roles';
import { paginate, type Page, type PageArgs } from '../access/pagination';
import { idSchema, parseInput, scopeListSchema, text, withoutNulls } from '../access/validation';
import type { OrgService } from '../orgs/org.service';
import { userModel } from '../users/user.model';
import { roleModel, type RoleDoc } from './role.model';

/** Counts holders of a role outside the users collection (API keys register one). */
export type RoleHolderCounter = (orgId: string, roleId: string) => Promise<number>;

const CreateRoleInput = z.object({
  name: text(1, 60).regex(/^[A-Za-z0-9 _.-]+$/, 'letters, digits, spaces, _ . and - only'),
  description: text(0, 500).optional().default(''),
  scopes: scopeListSchema,
});
const UpdateRoleInput = CreateRoleInput.partial();

/**
 * Roles are named scope sets per organization. Holders reference them by id and their
 * effective scopes are resolved from the role documents at authentication time, so an
 * edit applies to every holder on the next request.
 */
export class RoleService {
  private readonly holderCounters: RoleHolderCounter[] = [];

  constructor(private readonly deps: AccessDeps, private readonly orgs: OrgService) {}

  private get model() {
    return roleModel(this.deps.conn);
  }

  /** Lets other domains (API keys) say how many of their records hold a role. */
  registerHolderCounter(counter: RoleHolderCounter): void {
    this.holderCounters.push(counter);
  }

  async list(principal: Principal, args: PageArgs): Promise<Page<RoleDoc>> {
    return paginate(this.model, { orgId: principal.orgId }, args);
  }

  /** NOT_FOUND for unknown ids and ids of other organizations alike. */
  async get(principal: Principal, id: string, path: (string | number)[] = ['id']): Promise<RoleDoc> {
    parseInput(idSchema(IdPrefix.role), id, path);
    const role = await this.model.findOne({ _id: id, orgId: principal.orgId }).lean<RoleDoc>().exec();
    if (!role) throw AppError.notFound('role');
    return role;
  }

  /** Roles of one organization by id; unknown ids are simply absent. */
  async byIds(orgId: string, ids: readonly string[]): Promise<RoleDoc[]> {
    if (ids.length === 0) return [];
    // Point reads (the verify path's cache loads come here): see findByIds.
    return (await findByIds<RoleDoc>(this.model, ids)).filter((r) => r.orgId === orgId);
  }

  /** Effective scopes of a holder: direct scopes plus those of every role it holds. */
  async expandScopes(orgId: string, roleIds: readonly string[], direct: readonly string[]): Promise<string[]> {
    const roles = await this.byIds(orgId, roleIds);
    return expandScopes(direct, roles.map((r) => r.scopes));
  }

  /**
   * Checks that `principal` may hand out these roles and direct scopes: every role
   * exists in the caller's organization (NOT_FOUND otherwise) and nothing exceeds what
   * the caller holds (FORBIDDEN). Returns the effective scopes being granted.
   */
  async assertGrantable(principal: Principal, roleIds: readonly string[], scopes: readonly string[], basePath: (string | number)[]): Promise<string[]> {
    const catalogue = await this.orgs.catalogue(principal.orgId);
    assertScopesValid(scopes, catalogue, [...basePath, 'scopes']);
    roleIds.forEach((id, i) => parseInput(idSchema(IdPrefix.role), id, [...basePath, 'roleIds', i]));
    const roles = await this.byIds(principal.orgId, roleIds);
    const missing = roleIds.findIndex((id) => !roles.some((r) => r._id === id));
    if (missing >= 0) {
      throw new AppError('NOT_FOUND', 'role not found', {
        fields: [{ path: [...basePath, 'roleIds', missing], message: 'no such role' }],
      });
    }
    const granted = expandScopes(scopes, roles.map((r) => r.scopes));
    assertWithin(principal, granted);
    return granted;
  }

  async create(principal: Principal, input: unknown, meta?: AuditMeta): Promise<RoleDoc> {
    const v = parseInput(CreateRoleInput, withoutNulls(input), ['input']);
    assertScopesValid(v.scopes, await this.orgs.catalogue(principal.orgId), ['input', 'scopes']);
    const scopes = normalizeScopes(v.scopes);
    assertWithin(principal, scopes);
    const now = new Date();
    const doc: RoleDoc = {
      _id: newId(IdPrefix.role),
      orgId: principal.orgId,
      name: v.name,
      description: v.description,
      scopes,
      builtin: null,
      version: 0,
      createdAt: now,
      updatedAt: now,
    };
    await this.insertUnique(doc);
    await this.audit(principal, 'role.created', doc._id, null, snapshot(doc), meta);
    return doc;
  }

  async update(principal: Principal, id: string, input: unknown, meta?: AuditMeta): Promise<RoleDoc> {
    const v = parseInput(UpdateRoleInput, withoutNulls(input), ['input']);
    await this.get(principal, id);
    return withEntityLock(this.deps.redis, this.deps.config.REDIS_PREFIX, id, async () => {
      const before = await this.get(principal, id);
      if (before.builtin) throw AppError.invalidState(`the built-in role ${before.name} cannot be changed; create a custom role instead`);
      // Changing a role changes its holders: the editor must hold both what it had and what it gets.
      assertWithin(principal, before.scopes);
      const set: Partial<RoleDoc> = { updatedAt: new Date(), version: before.version + 1 };
      if (v.name !== undefined) set.name = v.name;
      if (v.description !== undefined) set.description = v.description;
      if (v.scopes !== undefined) {
        assertScopesValid(v.scopes, await this.orgs.catalogue(principal.orgId), ['input', 'scopes']);
        set.scopes = normalizeScopes(v.scopes);
        assertWithin(principal, set.scopes);
      }
      try {
        await this.model.updateOne({ _id: id, orgId: principal.orgId, version: before.version }, { $set: set }).exec();
      } catch (e) {
        if ((e as { code?: number }).code === 11000) throw AppError.badInput('a role with this name exists', [{ path: ['input', 'name'], message: 'is already taken' }]);
        throw e;
      }
      const after = await this.get(principal, id);
      await this.audit(principal, 'role.updated', id, snapshot(before), snapshot(after), meta);
      // Users re-resolve roles on every request; API keys may be cached.
      await announceOrgKeysChanged(this.deps, principal.orgId);
      return after;
    });
  }

  async delete(principal: Principal, id: string, meta?: AuditMeta): Promise<RoleDoc> {
    await this.get(principal, id);
    return withEntityLock(this.deps.redis, this.deps.config.REDIS_PREFIX, id, async () => {
      const role = await this.get(principal, id);
      if (role.builtin) throw AppError.invalidState(`the built-in role ${role.name} cannot be deleted`);
      assertWithin(principal, role.scopes);
      const users = await userModel(this.deps.conn).countDocuments({ orgId: principal.orgId, roleIds: id }).exec();
      let others = 0;
      for (const count of this.holderCounters) others += await count(principal.orgId, id);
      if (users + others > 0) {
        const who = [users ? `${users} user${users === 1 ? '' : 's'}` : '', others ? `${others} API key${others === 1 ? '' : 's'}` : ''].filter(Boolean).join(' and ');
        throw AppError.invalidState(`role ${role.name} is still held by ${who}; remove it from them before deleting it`, { holders: users + others });
      }
      await this.model.deleteOne({ _id: id, orgId: principal.orgId }).exec();
      await this.audit(principal, 'role.deleted', id, snapshot(role), null, meta);
      return role;
    });
  }

  /** Seeds the five built-in roles of a new organization; returns their ids by name. */
  async seedBuiltins(orgId: string): Promise<Record<BuiltinRole, string>> {
    const ids = {} as Record<BuiltinRole, string>;
    const now = new Date();
    for (const name of BUILTIN_ROLES) {
      const def = BUILTIN_ROLE_DEFINITIONS[name];
      const doc: RoleDoc = {
        _id: newId(IdPrefix.role),
        orgId,
        name,
        description: def.description,
        scopes: [...def.scopes],
        builtin: name,
        version: 0,
        createdAt: now,
        updatedAt: now,
      };
      try {
        await this.model.create(doc);
        ids[name] = doc._id;
      } catch (e) {
        if ((e as { code?: number }).code !== 11000) throw e;
        const existing = await this.model.findOne({ orgId, name }).lean<RoleDoc>().exec();
        if (!existing) throw e;
        ids[name] = existing._id;
      }
    }
    return ids;
  }

  private async insertUnique(doc: RoleDoc): Promise<void> {
    try {
      await this.model.create(doc);
    } catch (e) {
      if ((e as { code?: number }).code === 11000) throw AppError.badInput('a role with this name exists', [{ path: ['input', 'name'], message: 'is already taken' }]);
      throw e;
    }
  }

  private async audit(principal: Principal, action: string, id: string, before: Record<string, unknown> | null, after: Record<string, unknown> | null, meta?: AuditMeta) {
    await this.deps.audit.append({ orgId: principal.orgId, actor: actorOf(principal), action, target: { type: 'role', id }, before, after, meta });
  }
}

function snapshot(r: RoleDoc): Record<string, unknown> {
  return { name: r.name, description: r.description, scopes: r.scopes };
}

/** Every scope well formed and in the catalogue, reported per index. */
export function assertScopesValid(scopes: readonly unknown[], catalogue: Catalogue, path: (string | number)[]): void {
  const problems: FieldProblem[] = [];
  scopes.forEach((s, i) => {
    const p = scopeProblem(s, catalogue);
    if (p) problems.push({ path: [...path, i], message: p });
  });
  if (problems.length) throw AppError.badInput(problems.length === 1 ? `invalid scope: ${problems[0]?.message}` : 'invalid scopes', problems);
}

/** Nobody grants what they do not hold. */
export function assertWithin(principal: Principal, wanted: readonly string[]): void {
  const w = scopesWithin(principal.scopes, wanted);
  if (!w.ok) throw AppError.forbidden(`you cannot grant ${w.scope}: you do not hold it`, { missingScope: w.scope });
}
