import { assertNever, isScopeSegment, parseScope, type ParsedScope } from '@latchkey/schema';

// The scope grammar is the contract's (the approval rule reads scopes too); re-exported
// because every caller of the policy parses scopes with it.
export { parseScope, type ParsedScope };

/**
 * The one pure policy function (ARCHITECTURE §4). Scopes are
 * `resource:action[:resourceId]`; any segment may be `*`. Callers: the GraphQL auth
 * checker, `checkPermission`, the verify pipeline.
 */
export interface Requirement {
  resource: string;
  action: string;
  resourceId?: string;
}

export type Decision =
  | { allowed: true; matchedScope: string }
  | { allowed: false; missingScope: string; reason: string };

export function formatRequirement(r: Requirement): string {
  return r.resourceId ? `${r.resource}:${r.action}:${r.resourceId}` : `${r.resource}:${r.action}`;
}

function segmentMatches(granted: string, wanted: string): boolean {
  return granted === '*' || granted === wanted;
}

/**
 * Does one granted scope cover the requirement? A scope without a resource id covers
 * every id; a scope with an id covers only that id (or `*`).
 */
export function scopeCovers(granted: ParsedScope, req: Requirement): boolean {
  if (!segmentMatches(granted.resource, req.resource)) return false;
  if (!segmentMatches(granted.action, req.action)) return false;
  if (granted.resourceId === undefined || granted.resourceId === '*') return true;
  return req.resourceId !== undefined && granted.resourceId === req.resourceId;
}

/** Decide and explain. The most specific matching scope is reported. */
export function decide(grantedScopes: readonly string[], req: Requirement): Decision {
  let best: { scope: string; specificity: number } | undefined;
  for (const s of grantedScopes) {
    const parsed = parseScope(s);
    if (!parsed || !scopeCovers(parsed, req)) continue;
    const specificity =
      (parsed.resource === '*' ? 0 : 4) + (parsed.action === '*' ? 0 : 2) + (parsed.resourceId && parsed.resourceId !== '*' ? 1 : 0);
    if (!best || specificity > best.specificity) best = { scope: s, specificity };
  }
  if (best) return { allowed: true, matchedScope: best.scope };
  const missing = formatRequirement(req);
  return { allowed: false, missingScope: missing, reason: `missing scope ${missing}` };
}

/** Convenience for `resource:action[:id]` strings. */
export function decideScope(grantedScopes: readonly string[], required: string): Decision {
  const parsed = parseScope(required);
  if (!parsed) return { allowed: false, missingScope: required, reason: `malformed scope ${required}` };
  return decide(grantedScopes, parsed);
}

/** Whether every scope in `wanted` is covered by `held` (nobody grants what they do not hold). */
export function scopesWithin(held: readonly string[], wanted: readonly string[]): { ok: true } | { ok: false; scope: string } {
  for (const w of wanted) {
    const pw = parseScope(w);
    if (!pw) return { ok: false, scope: w };
    // A wanted wildcard is only grantable by a holder whose scope is at least as wide.
    const coveredBy = held.some((h) => {
      const ph = parseScope(h);
      if (!ph) return false;
      if (ph.resource !== '*' && ph.resource !== pw.resource) return false;
      if (ph.action !== '*' && ph.action !== pw.action) return false;
      if (ph.resourceId === undefined || ph.resourceId === '*') return true;
      return pw.resourceId === ph.resourceId;
    });
    if (!coveredBy) return { ok: false, scope: w };
  }
  return { ok: true };
}

export type Level = 'full' | 'read_write' | 'read_only' | 'custom';

/**
 * Scopes of a permission-level preset. `custom` is whatever the caller lists. Presets
 * use action wildcards so they cover resources an organization adds to its catalogue.
 */
export function scopesForLevel(level: Level, custom: readonly string[] = []): string[] {
  switch (level) {
    case 'full':
      return ['*:*'];
    case 'read_write':
      return ['*:read', '*:write', '*:delete'];
    case 'read_only':
      return ['*:read'];
    case 'custom':
      return normalizeScopes(custom);
    default:
      return assertNever(level);
  }
}

/** Dedupes and sorts; keeps order stable so stored scope lists compare equal. */
export function normalizeScopes(scopes: readonly string[]): string[] {
  return [...new Set(scopes)].sort();
}

/** Effective scopes: direct scopes plus every role's scopes. */
export function expandScopes(direct: readonly string[], roleScopes: readonly (readonly string[])[]): string[] {
  return normalizeScopes([...direct, ...roleScopes.flat()]);
}

export interface Catalogue {
  resources: readonly string[];
  actions: readonly string[];
}

/**
 * Why a scope cannot be granted in an organization, or null when it can: it must be
 * well formed and name a resource and an action of the catalogue (or `*`).
 */
export function scopeProblem(scope: unknown, catalogue: Catalogue): string | null {
  if (typeof scope !== 'string') return 'must be a string';
  const p = parseScope(scope);
  if (!p) return `"${scope.slice(0, 60)}" is not a scope (resource:action[:resourceId], lower-case names or *)`;
  if (p.resource !== '*' && !catalogue.resources.includes(p.resource)) return `unknown resource "${p.resource}"`;
  if (p.action !== '*' && !catalogue.actions.includes(p.action)) return `unknown action "${p.action}"`;
  return null;
}

/** Whether a catalogue name (resource or action) is well formed. */
export function isCatalogueName(name: unknown): name is string {
  return typeof name === 'string' && name !== '*' && isScopeSegment(name);
}
