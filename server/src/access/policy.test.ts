import {
  decide,
  decideScope,
  expandScopes,
  formatRequirement,
  isCatalogueName,
  normalizeScopes,
  parseScope,
  scopeProblem,
  scopesForLevel,
  scopesWithin,
} from './policy';
import { BUILTIN_ROLE_DEFINITIONS } from './builtin-roles';

const catalogue = { resources: ['keys', 'applications', 'billing'], actions: ['read', 'write', 'admin'] };

describe('decide', () => {
  it('allows an exact match and names it', () => {
    expect(decideScope(['keys:read'], 'keys:read')).toEqual({ allowed: true, matchedScope: 'keys:read' });
  });

  it('explains a denial with the missing scope', () => {
    expect(decideScope(['keys:read'], 'keys:write')).toEqual({ allowed: false, missingScope: 'keys:write', reason: 'missing scope keys:write' });
  });

  it('matches wildcards in resource and action', () => {
    expect(decideScope(['*:read'], 'keys:read').allowed).toBe(true);
    expect(decideScope(['keys:*'], 'keys:approve').allowed).toBe(true);
    expect(decideScope(['*:*'], 'anything:at-all:id_1').allowed).toBe(true);
    expect(decideScope(['*:read'], 'keys:write').allowed).toBe(false);
    expect(decideScope(['keys:*'], 'applications:read').allowed).toBe(false);
  });

  it('a scope without resource id covers every id; one with an id covers only that id', () => {
    expect(decideScope(['applications:deploy'], 'applications:deploy:app_1').allowed).toBe(true);
    expect(decideScope(['applications:deploy:app_1'], 'applications:deploy:app_1').allowed).toBe(true);
    expect(decideScope(['applications:deploy:app_1'], 'applications:deploy:app_2').allowed).toBe(false);
    expect(decideScope(['applications:deploy:app_1'], 'applications:deploy').allowed).toBe(false);
    expect(decideScope(['applications:deploy:*'], 'applications:deploy:app_2').allowed).toBe(true);
  });

  it('reports the most specific matching scope', () => {
    const granted = ['*:*', 'keys:*', 'keys:read', 'keys:read:key_1'];
    expect(decide(granted, { resource: 'keys', action: 'read', resourceId: 'key_1' })).toEqual({ allowed: true, matchedScope: 'keys:read:key_1' });
    expect(decide(granted, { resource: 'keys', action: 'read' })).toEqual({ allowed: true, matchedScope: 'keys:read' });
    expect(decide(granted, { resource: 'keys', action: 'write' })).toEqual({ allowed: true, matchedScope: 'keys:*' });
    expect(decide(granted, { resource: 'audit', action: 'read' })).toEqual({ allowed: true, matchedScope: '*:*' });
  });

  it('ignores malformed granted scopes and refuses malformed requirements', () => {
    expect(decideScope(['KEYS:READ', 'keys'], 'keys:read').allowed).toBe(false);
    expect(decideScope(['*:*'], 'not a scope')).toMatchObject({ allowed: false, reason: 'malformed scope not a scope' });
  });

  it('nothing granted, nothing allowed', () => {
    expect(decideScope([], 'keys:read').allowed).toBe(false);
  });

  it('formats requirements back to scopes', () => {
    expect(formatRequirement({ resource: 'a', action: 'b' })).toBe('a:b');
    expect(formatRequirement({ resource: 'a', action: 'b', resourceId: 'c' })).toBe('a:b:c');
  });
});

describe('scopesWithin (nobody grants what they do not hold)', () => {
  it.each([
    [['*:*'], ['keys:read', 'audit:export', '*:*'], true],
    [['keys:*'], ['keys:read', 'keys:approve:key_1'], true],
    [['keys:read'], ['keys:*'], false],
    [['keys:read'], ['*:read'], false],
    [['*:read'], ['keys:read', 'applications:read:app_1'], true],
    [['keys:read:key_1'], ['keys:read'], false],
    [['keys:read:key_1'], ['keys:read:key_1'], true],
    [['keys:read:key_1'], ['keys:read:*'], false],
    [['keys:read:*'], ['keys:read:key_9'], true],
    [[], [], true],
    [['*:*'], ['garbage'], false],
  ])('held %j, wanted %j → %s', (held, wanted, ok) => {
    expect(scopesWithin(held, wanted).ok).toBe(ok);
  });

  it('names the first scope that is not held', () => {
    expect(scopesWithin(['keys:read'], ['keys:read', 'keys:write', 'audit:read'])).toEqual({ ok: false, scope: 'keys:write' });
  });
});

describe('permission levels', () => {
  it('presets expand to scopes', () => {
    expect(scopesForLevel('full')).toEqual(['*:*']);
    expect(scopesForLevel('read_only')).toEqual(['*:read']);
    expect(scopesForLevel('read_write')).toEqual(['*:read', '*:write', '*:delete']);
    expect(scopesForLevel('custom', ['b:read', 'a:read', 'b:read'])).toEqual(['a:read', 'b:read']);
  });

  it('read_write never includes administrative actions', () => {
    const rw = scopesForLevel('read_write');
    for (const s of ['organization:admin', 'system:admin', 'keys:approve', 'keys:reveal']) expect(decideScope(rw, s).allowed).toBe(false);
    for (const s of ['keys:read', 'keys:write', 'applications:delete', 'billing:write']) expect(decideScope(rw, s).allowed).toBe(true);
  });
});

describe('scope sets and the catalogue', () => {
  it('expands roles and direct scopes into one sorted set', () => {
    expect(expandScopes(['b:read'], [['a:read', 'b:read'], ['c:write']])).toEqual(['a:read', 'b:read', 'c:write']);
    expect(normalizeScopes(['x:y', 'x:y'])).toEqual(['x:y']);
  });

  it('accepts scopes naming catalogue entries or wildcards', () => {
    expect(scopeProblem('billing:read', catalogue)).toBeNull();
    expect(scopeProblem('*:admin', catalogue)).toBeNull();
    expect(scopeProblem('keys:*:key_1', catalogue)).toBeNull();
  });

  it('explains why a scope cannot be granted', () => {
    expect(scopeProblem('payroll:read', catalogue)).toBe('unknown resource "payroll"');
    expect(scopeProblem('keys:fly', catalogue)).toBe('unknown action "fly"');
    expect(scopeProblem('keys', catalogue)).toMatch(/is not a scope/);
    expect(scopeProblem({ $ne: null }, catalogue)).toBe('must be a string');
  });

  it('validates catalogue names', () => {
    expect(isCatalogueName('payroll')).toBe(true);
    expect(isCatalogueName('*')).toBe(false);
    expect(isCatalogueName('Pay roll')).toBe(false);
    expect(isCatalogueName(7)).toBe(false);
  });
});

describe('built-in roles', () => {
  const can = (role: keyof typeof BUILTIN_ROLE_DEFINITIONS, scope: string) => decideScope(BUILTIN_ROLE_DEFINITIONS[role].scopes, scope).allowed;

  it('owner can do everything', () => {
    expect(can('owner', 'organization:admin')).toBe(true);
    expect(can('owner', 'system:admin')).toBe(true);
  });

  it('admin can do everything except organization:admin and system:admin', () => {
    expect(can('admin', 'organization:admin')).toBe(false);
    expect(can('admin', 'system:admin')).toBe(false);
    for (const s of ['users:write', 'roles:write', 'keys:approve', 'keys:reveal', 'audit:export', 'webhooks:write', 'users:admin', 'billing:write']) {
      expect(can('admin', s)).toBe(true);
    }
  });

  it('developer requests and reads; approver also approves', () => {
    for (const s of ['keys:request', 'keys:read', 'applications:read', 'analytics:read']) expect(can('developer', s)).toBe(true);
    for (const s of ['keys:approve', 'keys:write', 'users:write', 'roles:write']) expect(can('developer', s)).toBe(false);
    expect(can('approver', 'keys:approve')).toBe(true);
    expect(can('approver', 'keys:write')).toBe(false);
  });

  it('viewer reads everything but the audit trail and writes nothing', () => {
    expect(can('viewer', 'keys:read')).toBe(true);
    expect(can('viewer', 'users:read')).toBe(true);
    expect(can('viewer', 'audit:read')).toBe(false);
    expect(can('viewer', 'keys:write')).toBe(false);
  });

  it('each built-in role is within the owner and every scope is well formed', () => {
    for (const def of Object.values(BUILTIN_ROLE_DEFINITIONS)) {
      expect(scopesWithin(['*:*'], def.scopes).ok).toBe(true);
      for (const s of def.scopes) expect(parseScope(s)).not.toBeNull();
    }
    expect(scopesWithin(BUILTIN_ROLE_DEFINITIONS.admin.scopes, BUILTIN_ROLE_DEFINITIONS.approver.scopes).ok).toBe(true);
    expect(scopesWithin(BUILTIN_ROLE_DEFINITIONS.approver.scopes, BUILTIN_ROLE_DEFINITIONS.developer.scopes).ok).toBe(true);
  });
});
