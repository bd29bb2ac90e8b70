import { z } from 'zod';
import { PLATFORM_ACTIONS, PLATFORM_RESOURCES } from '@latchkey/schema';
import type { AuditMeta } from '../audit/audit-input';
import type { Principal } from '../access/principal';
import { AppError } from '../infra/app-error';
import { withEntityLock } from '../infra/entity-lock';
import type { AccessDeps } from '../access/deps';
import { actorOf } from '../access/principal';
import { isCatalogueName, type Catalogue } from '../access/policy';
import { parseInput } from '../access/validation';
import { orgModel, type OrgDoc } from './org.model';

const names = (what: string) =>
  z
    .array(
      z
        .string({ error: 'must be a string' })
        .max(63, 'must be at most 63 characters')
        .refine(isCatalogueName, `each ${what} must be lower-case letters, digits, _ or -, starting with a letter`),
      { error: 'must be a list' },
    )
    .max(100, `at most 100 custom ${what}s`);
const CatalogueInput = z.object({ resources: names('resource'), actions: names('action') });

/** Organizations: the caller's own, and the catalogue of resources/actions scopes may name. */
export class OrgService {
  constructor(private readonly deps: AccessDeps) {}

  private get model() {
    return orgModel(this.deps.conn);
  }

  /** The caller's organization. */
  async get(principal: Principal): Promise<OrgDoc> {
    const org = await this.byId(principal.orgId);
    if (!org) throw AppError.notFound('organization');
    return org;
  }

  /** Internal lookup by id (no tenant check: callers pass the principal's orgId). */
  async byId(orgId: string): Promise<OrgDoc | null> {
    return this.model.findOne({ _id: orgId }).lean<OrgDoc>().exec();
  }

  async anyExists(): Promise<boolean> {
    return (await this.model.findOne({}, { _id: 1 }).lean().exec()) !== null;
  }

  /** Platform resources/actions plus the organization's own. */
  async catalogue(orgId: string): Promise<Catalogue> {
    const org = await this.byId(orgId);
    return catalogueOf(org);
  }

  /**
   * Replaces the organization's custom resources and actions (the platform's stay).
   * Scopes already granted that name a removed entry stay stored but no new grant
   * may use it.
   */
  async updateCatalogue(principal: Principal, input: { resources: string[]; actions: string[] }, meta?: AuditMeta): Promise<OrgDoc> {
    const v = parseInput(CatalogueInput, input, ['input']);
    const resources = [...new Set(v.resources)].filter((r) => !(PLATFORM_RESOURCES as readonly string[]).includes(r)).sort();
    const actions = [...new Set(v.actions)].filter((a) => !(PLATFORM_ACTIONS as readonly string[]).includes(a)).sort();
    return withEntityLock(this.deps.redis, this.deps.config.REDIS_PREFIX, principal.orgId, async () => {
      const before = await this.get(principal);
      await this.model
        .updateOne({ _id: principal.orgId }, { $set: { customResources: resources, customActions: actions, updatedAt: new Date(), version: before.version + 1 } })
        .exec();
      const after = await this.get(principal);
      await this.deps.audit.append({
        orgId: principal.orgId,
        actor: actorOf(principal),
        action: 'organization.catalogue_updated',
        target: { type: 'organization', id: principal.orgId },
        before: { customResources: before.customResources, customActions: before.customActions },
        after: { customResources: after.customResources, customActions: after.customActions },
        meta,
      });
      return after;
    });
  }
}

export function catalogueOf(org: Pick<OrgDoc, 'customResources' | 'customActions'> | null): Catalogue {
  return {
    resources: [...PLATFORM_RESOURCES, ...(org?.customResources ?? [])],
    actions: [...PLATFORM_ACTIONS, ...(org?.customActions ?? [])],
  };
}
