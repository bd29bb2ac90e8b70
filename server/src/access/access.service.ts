import { z } from 'zod';
import { Scope } from '@latchkey/schema';
import type { Principal } from './principal';
import { AppError } from '../infra/app-error';
import type { UserService } from '../users/user.service';
import { decide, formatRequirement, parseScope, type Requirement } from './policy';
import { requireScope } from './principal';
import { parseInput } from './validation';

/** Effective scopes of an API key of the organization, or null when there is none. */
export type KeyScopeSource = (orgId: string, keyId: string) => Promise<readonly string[] | null>;

export interface PermissionCheck {
  allowed: boolean;
  /** The granted scope that decided (most specific), when allowed. */
  matchedScope: string | null;
  /** The scope that would be needed, when denied. */
  missingScope: string | null;
  reason: string;
  /** What was checked, as a scope string. */
  requirement: string;
  /** Whose scopes were checked. */
  principalId: string;
}

const segment = z.string({ error: 'must be a string' }).max(128, 'must be at most 128 characters');
const CheckInput = z.object({
  scope: z.string({ error: 'must be a string' }).max(200, 'must be at most 200 characters').nullish(),
  resource: segment.nullish(),
  action: segment.nullish(),
  resourceId: segment.nullish(),
  principalId: z
    .string({ error: 'must be a string' })
    .max(80, 'must be at most 80 characters')
    .regex(/^(usr|key)_[a-z0-9]{1,64}$/, 'must be a user id (usr_…) or an API key id (key_…)')
    .nullish(),
});

/** Answers "may this principal do this?" with the explanation the policy function gives. */
export class AccessService {
  private keyScopes: KeyScopeSource | undefined;

  constructor(private readonly users: UserService) {}

  /** The keys domain registers how to read a key's effective scopes. */
  registerKeyScopeSource(source: KeyScopeSource): void {
    this.keyScopes = source;
  }

  async checkPermission(principal: Principal, input: unknown): Promise<PermissionCheck> {
    const v = parseInput(CheckInput, input);
    const requirement = toRequirement(v);
    const subject = v.principalId ?? principal.id;
    const scopes = subject === principal.id ? principal.scopes : await this.scopesOf(principal, subject);
    const d = decide(scopes, requirement);
    return d.allowed
      ? {
          allowed: true,
          matchedScope: d.matchedScope,
          missingScope: null,
          reason: `granted by ${d.matchedScope}`,
          requirement: formatRequirement(requirement),
          principalId: subject,
        }
      : { allowed: false, matchedScope: null, missingScope: d.missingScope, reason: d.reason, requirement: formatRequirement(requirement), principalId: subject };
  }

  /** Someone else's scopes: users need users:read, keys keys:read; other orgs are NOT_FOUND. */
  private async scopesOf(principal: Principal, id: string): Promise<readonly string[]> {
    if (id.startsWith('usr_')) {
      requireScope(principal, Scope.usersRead);
      const user = await this.users.get(principal, id, ['principalId']);
      return user.status === 'active' ? this.users.effectiveScopes(user) : [];
    }
    requireScope(principal, Scope.keysRead);
    const scopes = this.keyScopes ? await this.keyScopes(principal.orgId, id) : null;
    if (!scopes) throw AppError.notFound('API key');
    return scopes;
  }
}

function toRequirement(v: z.infer<typeof CheckInput>): Requirement {
  if (v.scope) {
    if (v.resource || v.action || v.resourceId) {
      throw AppError.badInput('give either scope or resource/action', [{ path: ['scope'], message: 'cannot be combined with resource, action or resourceId' }]);
    }
    const p = parseScope(v.scope);
    if (!p) throw AppError.badInput('not a scope', [{ path: ['scope'], message: 'must look like resource:action or resource:action:resourceId' }]);
    return p;
  }
  const missing = (['resource', 'action'] as const).filter((k) => !v[k]);
  if (missing.length) throw AppError.badInput('give a scope, or a resource and an action', missing.map((k) => ({ path: [k], message: 'is required when no scope is given' })));
  const p = parseScope(v.resourceId ? `${v.resource}:${v.action}:${v.resourceId}` : `${v.resource}:${v.action}`);
  if (!p) {
    const message = 'resource and action are lower-case names (or *), resourceId letters, digits, _ . -';
    throw AppError.badInput('not a valid resource/action', [{ path: ['resource'], message }]);
  }
  return p;
}
