import { z } from 'zod';
import { IdPrefix } from '@latchkey/schema';
import type { AuditMeta } from '../audit/audit-input';
import type { Principal } from '../access/principal';
import { AppError } from '../infra/app-error';
import { newId } from '../infra/ids';
import { withEntityLock } from '../infra/entity-lock';
import type { AccessDeps } from '../access/deps';
import { actorOf } from '../access/principal';
import { normalizeScopes } from '../access/policy';
import { paginate, type Page, type PageArgs } from '../access/pagination';
import { emailSchema, idSchema, parseInput, scopeListSchema, text, withoutNulls } from '../access/validation';
import type { RoleService } from '../roles/role.service';
import { assertWithin } from '../roles/role.service';
import type { SessionStore } from '../sessions/session.store';
import { userModel, type UserDoc } from './user.model';
import { hashPassword, passwordProblem } from './password';

const roleIds = z.array(idSchema(IdPrefix.role), { error: 'must be a list' }).max(20, 'at most 20 roles');
const CreateUserInput = z
  .object({
    email: emailSchema,
    name: text(0, 100).optional().default(''),
    password: z.string({ error: 'must be a string' }),
    roleIds: roleIds.optional().default([]),
    scopes: scopeListSchema.optional().default([]),
  })
  .superRefine((v, ctx) => {
    const problem = passwordProblem(v.password, v.email);
    if (problem) ctx.addIssue({ code: 'custom', path: ['password'], message: problem });
  });
const UpdateUserInput = z.object({
  name: text(0, 100).optional(),
  roleIds: roleIds.optional(),
  scopes: scopeListSchema.optional(),
  disabled: z.boolean({ error: 'must be true or false' }).optional(),
});

export type NewUser = { email: string; name?: string; password: string; roleIds?: string[]; scopes?: string[] };

/** People of an organization: membership, roles and direct scopes, status, password. */
export class UserService {
  constructor(
    private readonly deps: AccessDeps,
    private readonly roles: RoleService,
    private readonly sessions: SessionStore,
  ) {}

  private get model() {
    return userModel(this.deps.conn);
  }

  async list(principal: Principal, args: PageArgs): Promise<Page<UserDoc>> {
    return paginate(this.model, { orgId: principal.orgId }, args);
  }

  /** NOT_FOUND for unknown ids and ids of other organizations alike. */
  async get(principal: Principal, id: string, path: (string | number)[] = ['id']): Promise<UserDoc> {
    parseInput(idSchema(IdPrefix.user), id, path);
    const user = await this.byId(principal.orgId, id);
    if (!user) throw AppError.notFound('user');
    return user;
  }

  /** Internal lookup inside one organization. */
  async byId(orgId: string, id: string): Promise<UserDoc | null> {
    return this.model.findOne({ _id: id, orgId }).lean<UserDoc>().exec();
  }

  /** Internal: login looks users up by their (platform-unique) email. */
  async byEmail(email: string): Promise<UserDoc | null> {
    return this.model.findOne({ email: email.toLowerCase() }).lean<UserDoc>().exec();
  }

  /** Whether any platform administrator exists (first-start seeding has completed). */
  async platformAdminExists(): Promise<boolean> {
    return (await this.model.findOne({ isPlatformAdmin: true }, { _id: 1 }).lean().exec()) !== null;
  }

  /** Roles expanded plus direct scopes, from the current role documents. */
  async effectiveScopes(user: Pick<UserDoc, 'orgId' | 'roleIds' | 'scopes'>): Promise<string[]> {
    return this.roles.expandScopes(user.orgId, user.roleIds, user.scopes);
  }

  async create(principal: Principal, input: unknown, meta?: AuditMeta): Promise<UserDoc> {
    const v = parseInput(CreateUserInput, withoutNulls(input), ['input']);
    await this.roles.assertGrantable(principal, v.roleIds, v.scopes, ['input']);
    const user = await this.insert(principal.orgId, { ...v, isPlatformAdmin: false });
    await this.audit(principal, 'user.created', user._id, null, snapshot(user), meta);
    return user;
  }

  /**
   * Inserts a user without permission checks (organization provisioning and first
   * start use it). A taken email is a field error on `input.email`.
   */
  async insert(orgId: string, u: NewUser & { isPlatformAdmin: boolean }): Promise<UserDoc> {
    const now = new Date();
    const doc: UserDoc = {
      _id: newId(IdPrefix.user),
      orgId,
      email: u.email.toLowerCase(),
      name: u.name ?? '',
      passwordHash: await hashPassword(u.password),
      status: 'active',
      roleIds: [...new Set(u.roleIds ?? [])],
      scopes: normalizeScopes(u.scopes ?? []),
      isPlatformAdmin: u.isPlatformAdmin,
      passwordChangedAt: now,
      lastLoginAt: null,
      version: 0,
      createdAt: now,
      updatedAt: now,
    };
    try {
      await this.model.create(doc);
    } catch (e) {
      if ((e as { code?: number }).code === 11000) throw AppError.badInput('a user with this email exists', [{ path: ['input', 'email'], message: 'is already registered' }]);
      throw e;
    }
    return doc;
  }

  /** Name, roles, direct scopes, disabled. Disabling ends the user's sessions at once. */
  async update(principal: Principal, id: string, input: unknown, meta?: AuditMeta): Promise<UserDoc> {
    const v = parseInput(UpdateUserInput, withoutNulls(input), ['input']);
    await this.get(principal, id);
    return withEntityLock(this.deps.redis, this.deps.config.REDIS_PREFIX, id, async () => {
      const before = await this.get(principal, id);
      // Managing someone means holding at least what they hold.
      assertWithin(principal, await this.effectiveScopes(before));
      const set: Partial<UserDoc> = { updatedAt: new Date(), version: before.version + 1 };
      if (v.name !== undefined) set.name = v.name;
      if (v.roleIds !== undefined || v.scopes !== undefined) {
        set.roleIds = [...new Set(v.roleIds ?? before.roleIds)];
        set.scopes = normalizeScopes(v.scopes ?? before.scopes);
        await this.roles.assertGrantable(principal, set.roleIds, set.scopes, ['input']);
      }
      if (v.disabled !== undefined) {
        if (v.disabled && principal.kind === 'user' && principal.id === id) throw AppError.invalidState('you cannot disable yourself');
        set.status = v.disabled ? 'disabled' : 'active';
      }
      await this.keepAnOwner(before, set);
      await this.model.updateOne({ _id: id, orgId: principal.orgId, version: before.version }, { $set: set }).exec();
      if (set.status === 'disabled' && before.status !== 'disabled') await this.sessions.revokeAllForUser(before.orgId, id, 'user disabled');
      const after = await this.get(principal, id);
      const action = set.status && set.status !== before.status ? (set.status === 'disabled' ? 'user.disabled' : 'user.enabled') : 'user.updated';
      await this.audit(principal, action, id, snapshot(before), snapshot(after), meta);
      return after;
    });
  }

  disable(principal: Principal, id: string, meta?: AuditMeta): Promise<UserDoc> {
    return this.update(principal, id, { disabled: true }, meta);
  }

  /**
   * Sets a new password (already checked by the caller against the current one) and
   * ends every session of the user. Returns the instant sessions must be newer than.
   */
  async setPassword(user: UserDoc, password: string, actor: Principal, meta?: AuditMeta): Promise<Date> {
    const problem = passwordProblem(password, user.email);
    if (problem) throw AppError.badInput(`new password ${problem}`, [{ path: ['newPassword'], message: problem }]);
    return withEntityLock(this.deps.redis, this.deps.config.REDIS_PREFIX, user._id, async () => {
      const changedAt = new Date();
      await this.model
        .updateOne(
          { _id: user._id, orgId: user.orgId },
          { $set: { passwordHash: await hashPassword(password), passwordChangedAt: changedAt, updatedAt: changedAt }, $inc: { version: 1 } },
        )
        .exec();
      await this.sessions.revokeAllForUser(user.orgId, user._id, 'password changed');
      await this.audit(actor, 'user.password_changed', user._id, null, null, meta);
      return changedAt;
    });
  }

  async recordLogin(user: UserDoc): Promise<void> {
    await this.model.updateOne({ _id: user._id, orgId: user.orgId }, { $set: { lastLoginAt: new Date() } }).exec();
  }

  /** Refuses a change that would leave the organization without an active owner. */
  private async keepAnOwner(before: UserDoc, set: Partial<UserDoc>): Promise<void> {
    const [owner] = (await this.roles.byIds(before.orgId, before.roleIds)).filter((r) => r.builtin === 'owner');
    if (!owner || before.status !== 'active') return;
    const losesOwner = set.status === 'disabled' || (set.roleIds !== undefined && !set.roleIds.includes(owner._id));
    if (!losesOwner) return;
    const others = await this.model.countDocuments({ orgId: before.orgId, roleIds: owner._id, status: 'active', _id: { $ne: before._id } }).exec();
    if (others === 0) throw AppError.invalidState('the organization must keep at least one active owner');
  }

  private async audit(principal: Principal, action: string, id: string, before: Record<string, unknown> | null, after: Record<string, unknown> | null, meta?: AuditMeta) {
    await this.deps.audit.append({ orgId: principal.orgId, actor: actorOf(principal), action, target: { type: 'user', id }, before, after, meta });
  }
}

/** What the audit trail records of a user: never the password hash. */
function snapshot(u: UserDoc): Record<string, unknown> {
  return { email: u.email, name: u.name, status: u.status, roleIds: u.roleIds, scopes: u.scopes };
}
