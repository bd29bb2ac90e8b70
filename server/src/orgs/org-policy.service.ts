import type { AuditMeta } from '../audit/audit-input';
import type { Principal } from '../access/principal';
import { AppError } from '../infra/app-error';
import { withEntityLock } from '../infra/entity-lock';
import { announceOrgKeysChanged, type AccessDeps } from '../access/deps';
import { actorOf } from '../access/principal';
import { orgPolicyModel, type OrgPolicyDoc } from './org.model';
import { defaultOrgPolicy, type OrgPolicy, type StoredOrgPolicy } from './org-policy';
import { applyPolicyPatch, type OrgPolicyPatch } from './org-policy.schema';

/**
 * Reads and edits the one policy document per organization. An organization that
 * never edited its policy runs on the defaults (version 0, nothing stored).
 */
export class OrgPolicyService {
  constructor(private readonly deps: AccessDeps) {}

  private get model() {
    return orgPolicyModel(this.deps.conn);
  }

  /** The policy in force for an organization (for keys, requests, jobs, verify). */
  async getPolicy(orgId: string): Promise<StoredOrgPolicy> {
    const doc = await this.model.findOne({ _id: orgId }).lean<OrgPolicyDoc>().exec();
    if (!doc) return { ...defaultOrgPolicy(), orgId, version: 0, updatedAt: null, updatedBy: null };
    const { _id: _ignored, ...rest } = doc;
    // Sections added after a policy was stored read as their defaults.
    return { ...defaultOrgPolicy(), ...rest };
  }

  /** Partial update: sections left out keep their value; the result is validated whole. */
  async update(principal: Principal, patch: OrgPolicyPatch, meta?: AuditMeta): Promise<StoredOrgPolicy> {
    const lockId = `policy_${principal.orgId}`;
    return withEntityLock(this.deps.redis, this.deps.config.REDIS_PREFIX, lockId, async () => {
      const current = await this.getPolicy(principal.orgId);
      const next: OrgPolicy = applyPolicyPatch(current, patch);
      const stored: StoredOrgPolicy = {
        ...next,
        orgId: principal.orgId,
        version: current.version + 1,
        updatedAt: new Date(),
        updatedBy: principal.id,
      };
      // The lock serializes writers; matching the version we read also stops one that
      // outlived its lock (an upsert that finds another version hits the unique _id).
      try {
        await this.model
          .replaceOne({ _id: principal.orgId, version: current.version }, { _id: principal.orgId, ...stored }, { upsert: true })
          .exec();
      } catch (e) {
        if ((e as { code?: number }).code === 11000) throw AppError.conflict('the policy was changed by another request; try again');
        throw e;
      }
      await this.deps.audit.append({
        orgId: principal.orgId,
        actor: actorOf(principal),
        action: 'policy.updated',
        target: { type: 'policy', id: principal.orgId },
        before: policyOnly(current),
        after: policyOnly(stored),
        meta,
      });
      await announceOrgKeysChanged(this.deps, principal.orgId);
      return stored;
    });
  }
}

function policyOnly(p: StoredOrgPolicy): Record<string, unknown> {
  const { orgId: _o, updatedAt: _u, updatedBy: _b, ...rest } = p;
  return rest as unknown as Record<string, unknown>;
}
