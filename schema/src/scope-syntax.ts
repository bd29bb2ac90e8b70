/**
 * The grammar of a scope, `resource:action[:resourceId]`, where any segment may be `*`.
 * In the contract because the server's policy and the approval rule (which the console
 * previews) must read a scope the same way.
 */
export interface ParsedScope {
  resource: string;
  action: string;
  resourceId?: string;
}

const SEGMENT = /^(\*|[a-z][a-z0-9_-]{0,62})$/;
const RESOURCE_ID = /^(\*|[A-Za-z0-9_.-]{1,128})$/;

/** Whether a resource or action name is well formed (`*` included). */
export function isScopeSegment(name: string): boolean {
  return SEGMENT.test(name);
}

/** Parses a scope string, or returns null when it is not well formed. */
export function parseScope(scope: string): ParsedScope | null {
  if (typeof scope !== 'string' || scope.length > 200) return null;
  const parts = scope.split(':');
  if (parts.length < 2 || parts.length > 3) return null;
  const [resource, action, resourceId] = parts as [string, string, string | undefined];
  if (!SEGMENT.test(resource) || !SEGMENT.test(action)) return null;
  if (resourceId !== undefined && !RESOURCE_ID.test(resourceId)) return null;
  return resourceId === undefined ? { resource, action } : { resource, action, resourceId };
}
