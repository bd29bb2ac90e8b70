import { z } from 'zod';
import type { AuditMeta } from '../audit/audit-input';
import type { Principal } from '../access/principal';
import { AppError } from '../infra/app-error';
import { actorOf } from '../access/principal';
import { scopesWithin } from '../access/policy';
import { parseInput, text } from '../access/validation';
import { approvalNeed } from '@latchkey/schema';
import type { ApiKeyDoc } from './key.model';
import { assertTransition } from './key-lifecycle';
import { SUBTYPE_DEFAULTS } from './key-defaults';
import { dropNulls, levelSchema } from './key-spec';
import { resolveGrant, resolveSections } from './key-grant';
import { keySnapshot, keyWebhookData, type KeyEvents } from './key-events';
import { assertMayManage, loadKey, lockKey, updateKeyAt } from './key-store';
import { nowOf, type KeyDeps } from './key-deps';

const UpdateInput = z.object({
  name: text(1, 100).optional(),
  description: text(0, 1000).optional(),
  permissionLevel: levelSchema.optional(),
  scopes: z.array(z.string({ error: 'must be a string' }).max(200, 'must be at most 200 characters')).max(200, 'at most 200 scopes').optional(),
  roleIds: z.array(z.string({ error: 'must be a string' })).max(20, 'at most 20 roles').optional(),
  restrictions: z.unknown().optional(),
  rateLimit: z.unknown().optional(),
  rotationPolicy: z.unknown().optional(),
  tags: z.unknown().optional(),
  metadata: z.unknown().optional(),
});

const SECTIONS = ['restrictions', 'rateLimit', 'rotationPolicy', 'tags', 'metadata'] as const;

/**
 * `updateApiKey`: name, description, permissions and configuration sections (each
 * given section replaces the stored one). Type, subtype, environment, owner and the
 * value cannot change. Widening a key's permissions where the policy would require
 * approval is refused: that needs a new request, not an edit.
 */
export class KeyUpdater {
  constructor(private readonly deps: KeyDeps, private readonly events: KeyEvents) {}

  async update(principal: Principal, id: string, input: unknown, meta?: AuditMeta): Promise<ApiKeyDoc> {
    const v = parseInput(UpdateInput, dropNulls(input), ['input']);
    await loadKey(this.deps, principal, id);
    return lockKey(this.deps, id, async () => {
      const before = await loadKey(this.deps, principal, id);
      assertMayManage(principal, before, 'update');
      assertTransition(before.status, 'update');
      const policy = await this.deps.orgPolicy.getPolicy(principal.orgId);
      const set: Partial<ApiKeyDoc> = {};
      if (v.name !== undefined) set.name = v.name;
      if (v.description !== undefined) set.description = v.description;

      if (v.permissionLevel !== undefined || v.scopes !== undefined || v.roleIds !== undefined) {
        const level = v.permissionLevel ?? (v.scopes !== undefined ? 'custom' : before.permissionLevel);
        const scopes = v.scopes ?? (level === 'custom' && before.permissionLevel === 'custom' ? before.scopes : undefined);
        const grant = await resolveGrant(
          this.deps,
          principal,
          { type: before.type, subtype: before.subtype, ownerId: before.ownerId, level, scopes, roleIds: v.roleIds ?? before.roleIds },
          ['input'],
        );
        const held = await this.deps.roles.expandScopes(before.orgId, before.roleIds, before.scopes);
        if (!scopesWithin(held, grant.grantedScopes).ok) {
          const widened = { type: before.type, subtype: before.subtype, level: grant.permissionLevel, scopes: grant.grantedScopes };
          const n = Math.max(SUBTYPE_DEFAULTS[before.subtype].minApprovals, approvalNeed(policy.approvalRules, widened).count);
          if (n > 0) {
            const approvals = `${n} approval${n === 1 ? '' : 's'}`;
            throw AppError.forbidden(
              `widening this key’s permissions needs ${approvals} under the organization’s policy; request a new key instead`,
              { approvalsRequired: n },
            );
          }
        }
        set.permissionLevel = grant.permissionLevel;
        set.scopes = grant.scopes;
        set.roleIds = grant.roleIds;
      }

      if (SECTIONS.some((s) => v[s] !== undefined)) {
        const merged = {
          restrictions: v.restrictions ?? before.restrictions,
          rateLimit: v.rateLimit ?? before.limits,
          rotationPolicy: v.rotationPolicy ?? before.rotationPolicy ?? undefined,
          tags: v.tags ?? before.tags,
          metadata: v.metadata ?? before.metadata,
        };
        const sections = resolveSections(dropNulls(merged) as typeof merged, policy, before.subtype, ['input']);
        await this.deps.dimensions?.assertKnown(before.orgId, sections.limits.dimensions, ['input']);
        Object.assign(set, sections);
        if (v.rotationPolicy !== undefined) {
          set.nextRotationAt = sections.rotationPolicy ? new Date(nowOf(this.deps).getTime() + sections.rotationPolicy.everyDays * 86_400_000) : null;
        }
      }
      if (Object.keys(set).length === 0) return before;

      const after = await updateKeyAt(this.deps, before, { ...set, updatedAt: nowOf(this.deps) });
      const changed = Object.keys(set).filter((k) => k !== 'nextRotationAt');
      await this.events.record({
        orgId: after.orgId,
        actor: actorOf(principal),
        meta,
        action: 'key.updated',
        target: { type: 'key', id: after._id },
        before: keySnapshot(before),
        after: keySnapshot(after),
        keys: [after],
        webhook: { type: 'key.updated', data: keyWebhookData(after, { changed, actor: principal.id }) },
        status: after.status,
      });
      return after;
    });
  }
}
