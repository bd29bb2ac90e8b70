import type { KeyDeps } from './key-deps';

/**
 * The key dependencies as one import call sees them: the reads createApiKey's checks make
 * per key (policy, application, owner, catalogue and roles through assertGrantable,
 * dimensions) are made once per distinct argument for the whole call. 1,000 items of
 * one application and scope set cost a handful of reads instead of ~4,000, and every
 * item is judged against the same snapshot of the policy. Answers (and refusals) are
 * shared, never mutated by the key code.
 */
export function callScopedDeps(deps: KeyDeps): KeyDeps {
  const { orgPolicy, applications, users, roles, dimensions } = deps;
  return {
    ...deps,
    orgPolicy: withMethods(orgPolicy, { getPolicy: memo((orgId) => orgPolicy.getPolicy(orgId), (orgId) => orgId) }),
    applications: withMethods(applications, { get: memo((p, id, path) => applications.get(p, id, path), (_p, id, path) => key(id, path)) }),
    users: withMethods(users, {
      get: memo((p, id, path) => users.get(p, id, path), (_p, id, path) => key(id, path)),
      byId: memo((orgId, id) => users.byId(orgId, id), (orgId, id) => key(orgId, id)),
      effectiveScopes: memo((u) => users.effectiveScopes(u), (u) => key(u.orgId, u.roleIds, u.scopes)),
    }),
    roles: withMethods(roles, {
      assertGrantable: memo((p, roleIds, scopes, path) => roles.assertGrantable(p, roleIds, scopes, path), (_p, roleIds, scopes, path) => key(roleIds, scopes, path)),
    }),
    ...(dimensions ? { dimensions: { assertKnown: memo((orgId, dims, path) => dimensions.assertKnown(orgId, dims, path), (orgId, dims, path) => key(orgId, dims, path)) } } : {}),
  };
}

function key(...parts: unknown[]): string {
  return JSON.stringify(parts);
}

/** One promise per distinct key: concurrent items asking the same thing share one read. */
function memo<A extends unknown[], R>(fn: (...a: A) => Promise<R>, keyOf: (...a: A) => string): (...a: A) => Promise<R> {
  const seen = new Map<string, Promise<R>>();
  return (...a: A) => {
    const k = keyOf(...a);
    let p = seen.get(k);
    if (!p) {
      p = fn(...a);
      seen.set(k, p);
    }
    return p;
  };
}

/** `svc` with some methods replaced; the rest still run on `svc` (through the prototype). */
function withMethods<T extends object>(svc: T, overrides: Partial<T>): T {
  return Object.assign(Object.create(svc) as T, overrides);
}
