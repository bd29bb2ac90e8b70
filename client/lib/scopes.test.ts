import { holds } from './scopes';

describe('holds', () => {
  it('matches a scope exactly or through a wildcard on either part', () => {
    expect(holds(['keys:read'], 'keys:read')).toBe(true);
    expect(holds(['keys:*'], 'keys:write')).toBe(true);
    expect(holds(['*:read'], 'audit:read')).toBe(true);
    expect(holds(['*:*'], 'organization:admin')).toBe(true);
  });

  it('refuses another resource or action', () => {
    expect(holds(['keys:read'], 'keys:write')).toBe(false);
    expect(holds(['keys:read'], 'audit:read')).toBe(false);
    expect(holds([], 'keys:read')).toBe(false);
  });

  it('does not let a scope pinned to one resource id unlock a whole screen', () => {
    expect(holds(['keys:read:key_1'], 'keys:read')).toBe(false);
    expect(holds(['*:*:key_1'], 'keys:read')).toBe(false);
  });
});
