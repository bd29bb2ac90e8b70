import { z } from 'zod';
import { IdPrefix } from '@latchkey/schema';
import type { AuditMeta } from '../audit/audit-input';
import type { Principal } from '../access/principal';
import { AppError } from '../infra/app-error';
import { newId } from '../infra/ids';
import type { AccessDeps } from '../access/deps';
import { actorOf, requirePlatformAdmin } from '../access/principal';
import { emailSchema, parseInput, text, withoutNulls } from '../access/validation';
import type { RoleService } from '../roles/role.service';
import type { UserDoc } from '../users/user.model';
import type { UserService } from '../users/user.service';
import { generatePassword, passwordProblem, PASSWORD_MAX_LENGTH } from '../users/password';
import { orgModel, orgPolicyModel, type OrgDoc } from './org.model';

const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/;
const CreateOrganizationInput = z.object({
  name: text(1, 100),
  slug: z.string({ error: 'must be a string' }).max(40, 'must be at most 40 characters').regex(SLUG, 'lower-case letters, digits and inner hyphens only').optional(),
  keyPrefix: z.string({ error: 'must be a string' }).regex(/^[a-z][a-z0-9]{1,7}$/, '2–8 lower-case letters or digits, starting with a letter').optional().default('lk'),
  ownerEmail: emailSchema,
  ownerName: text(0, 100).optional().default(''),
  ownerPassword: z.string({ error: 'must be a string' }).max(PASSWORD_MAX_LENGTH, `must be at most ${PASSWORD_MAX_LENGTH} characters`).optional(),
});

export interface ProvisionInput {
  name: string;
  slug: string;
  keyPrefix: string;
  owner: { email: string; name: string; password: string };
  isPlatformAdmin: boolean;
}

export interface CreatedOrganization {
  organization: OrgDoc;
  owner: UserDoc;
  /** Set only when the password was generated; shown once. */
  ownerInitialPassword: string | null;
}

/** Creates tenants: an organization, its built-in roles and its owner. */
export class OrgProvisioning {
  constructor(
    private readonly deps: AccessDeps,
    private readonly roles: RoleService,
    private readonly users: UserService,
  ) {}

  /** `createOrganization` — platform administrators only. */
  async createOrganization(principal: Principal, input: unknown, meta?: AuditMeta): Promise<CreatedOrganization> {
    requirePlatformAdmin(principal);
    const v = parseInput(CreateOrganizationInput, withoutNulls(input), ['input']);
    const slug = v.slug ?? slugify(v.name);
    if (!SLUG.test(slug)) throw AppError.badInput('choose a slug', [{ path: ['input', 'slug'], message: 'cannot be derived from the name; give one' }]);
    const generated = v.ownerPassword === undefined ? generatePassword() : null;
    const password = v.ownerPassword ?? (generated as string);
    const problem = passwordProblem(password, v.ownerEmail);
    if (problem) throw AppError.badInput(`owner password ${problem}`, [{ path: ['input', 'ownerPassword'], message: problem }]);
    if (await this.users.byEmail(v.ownerEmail)) throw AppError.badInput('a user with this email exists', [{ path: ['input', 'ownerEmail'], message: 'is already registered' }]);
    const created = await this.provision({ name: v.name, slug, keyPrefix: v.keyPrefix, owner: { email: v.ownerEmail, name: v.ownerName, password }, isPlatformAdmin: false });
    if (!created) throw AppError.badInput('an organization with this slug exists', [{ path: ['input', 'slug'], message: 'is already taken' }]);
    const after = { name: created.organization.name, slug, keyPrefix: v.keyPrefix, ownerId: created.owner._id };
    for (const orgId of new Set([principal.orgId, created.organization._id])) {
      await this.deps.audit.append({
        orgId,
        actor: actorOf(principal),
        action: 'organization.created',
        target: { type: 'organization', id: created.organization._id },
        after,
        meta,
      });
    }
    await this.deps.audit.append({
      orgId: created.organization._id,
      actor: actorOf(principal),
      action: 'user.created',
      target: { type: 'user', id: created.owner._id },
      after: { email: created.owner.email, roleIds: created.owner.roleIds },
      meta,
    });
    return { ...created, ownerInitialPassword: generated };
  }

  /**
   * Inserts the organization (its unique slug decides between concurrent callers:
   * null means another caller holds the slug), the built-in roles and the owner.
   * When the owner cannot be created the organization is removed again.
   */
  async provision(p: ProvisionInput): Promise<{ organization: OrgDoc; owner: UserDoc } | null> {
    const now = new Date();
    const id = newId(IdPrefix.org);
    const organization: OrgDoc = {
      _id: id,
      orgId: id,
      name: p.name,
      slug: p.slug,
      keyPrefix: p.keyPrefix,
      customResources: [],
      customActions: [],
      version: 0,
      createdAt: now,
      updatedAt: now,
    };
    const orgs = orgModel(this.deps.conn);
    try {
      await orgs.create(organization);
    } catch (e) {
      if ((e as { code?: number }).code === 11000) return null;
      throw e;
    }
    try {
      const roleIds = await this.roles.seedBuiltins(id);
      const owner = await this.users.insert(id, { ...p.owner, roleIds: [roleIds.owner], scopes: [], isPlatformAdmin: p.isPlatformAdmin });
      return { organization, owner };
    } catch (e) {
      await this.discard(id);
      throw e;
    }
  }

  private async discard(orgId: string): Promise<void> {
    const { conn } = this.deps;
    await Promise.allSettled([
      orgModel(conn).deleteOne({ _id: orgId }).exec(),
      orgPolicyModel(conn).deleteOne({ _id: orgId }).exec(),
      conn.collection('roles').deleteMany({ orgId }),
    ]);
  }
}

export function slugify(name: string): string {
  return name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '');
}
