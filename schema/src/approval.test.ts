import { ADMIN_SUBTYPE_MIN_APPROVALS, approvalNeed, effectiveLevel, type ApprovalRule } from './approval';

const rule = (r: Partial<ApprovalRule> & { approvals: number }): ApprovalRule => ({ keyType: null, subtype: null, level: null, ...r });

describe('effectiveLevel', () => {
  it('classifies a scope set by the widest preset it amounts to', () => {
    expect(effectiveLevel(['*:*'])).toBe('full');
    expect(effectiveLevel(['keys:read', '*:*'])).toBe('full');
    expect(effectiveLevel(['*:*:*'])).toBe('full');
    expect(effectiveLevel(['keys:read', 'applications:read:app_1'])).toBe('read_only');
    expect(effectiveLevel(['keys:read', 'keys:write', 'keys:delete'])).toBe('read_write');
    expect(effectiveLevel(['*:read', '*:write', '*:delete'])).toBe('read_write');
    expect(effectiveLevel(['keys:approve'])).toBe('custom');
    expect(effectiveLevel(['keys:*'])).toBe('custom');
    expect(effectiveLevel([])).toBe('custom');
  });

  it('counts a set with a malformed scope as custom, unless it also covers everything', () => {
    expect(effectiveLevel(['bad scope'])).toBe('custom');
    expect(effectiveLevel(['keys:read', 'Keys:read'])).toBe('custom');
    expect(effectiveLevel(['bad scope', '*:*'])).toBe('full');
  });

  it('does not count a wildcard pinned to one resource id as full', () => {
    expect(effectiveLevel(['*:*:key_1'])).toBe('custom');
  });
});

describe('approvalNeed', () => {
  const defaults = [rule({ keyType: 'system', approvals: 1 }), rule({ level: 'full', approvals: 1 })];

  it('needs nothing when no rule matches', () => {
    expect(approvalNeed(defaults, { type: 'application', subtype: 'service', level: 'read_write' })).toEqual({ count: 0, adminFloor: false, matched: [] });
    expect(approvalNeed([], { type: 'user', subtype: 'personal', level: 'full' }).count).toBe(0);
  });

  it('matches on key type, subtype and level, null matching everything', () => {
    const rules = [rule({ keyType: 'user', approvals: 1 }), rule({ subtype: 'automation', approvals: 2 }), rule({ level: 'read_only', approvals: 3 })];
    expect(approvalNeed(rules, { type: 'user', subtype: 'personal', level: 'custom' }).matched).toEqual([rules[0]]);
    expect(approvalNeed(rules, { type: 'user', subtype: 'automation', level: 'custom' }).matched).toEqual([rules[0], rules[1]]);
    expect(approvalNeed(rules, { type: 'application', subtype: 'service', level: 'read_only' }).matched).toEqual([rules[2]]);
    expect(approvalNeed([rule({ approvals: 4 })], { type: 'system', subtype: 'backup', level: 'custom' }).count).toBe(4);
  });

  it('takes the strictest matching rule, whatever the order', () => {
    const rules = [rule({ keyType: 'system', approvals: 3 }), rule({ level: 'full', approvals: 1 }), rule({ subtype: 'backup', approvals: 2 })];
    const need = approvalNeed(rules, { type: 'system', subtype: 'backup', level: 'full' });
    expect(need.count).toBe(3);
    expect(need.matched).toEqual(rules);
  });

  it('judges a custom scope set by the preset it amounts to as well as by the chosen level', () => {
    expect(approvalNeed(defaults, { type: 'user', subtype: 'personal', level: 'custom', scopes: ['*:*'] }).count).toBe(1);
    expect(approvalNeed(defaults, { type: 'user', subtype: 'personal', level: 'custom', scopes: ['keys:read'] }).count).toBe(0);
    const readOnly = [rule({ level: 'read_only', approvals: 2 })];
    expect(approvalNeed(readOnly, { type: 'user', subtype: 'personal', level: 'custom', scopes: ['keys:read', 'audit:read'] }).count).toBe(2);
    expect(approvalNeed(readOnly, { type: 'user', subtype: 'personal', level: 'read_only' }).count).toBe(2);
    expect(approvalNeed(readOnly, { type: 'user', subtype: 'personal', level: 'custom' }).count).toBe(0);
  });

  it('gives admin keys at least the floor whatever the rules say, and says so', () => {
    expect(approvalNeed([], { type: 'system', subtype: 'admin', level: 'read_only' })).toEqual({ count: ADMIN_SUBTYPE_MIN_APPROVALS, adminFloor: true, matched: [] });
    expect(approvalNeed([rule({ keyType: 'system', approvals: 0 })], { type: 'system', subtype: 'admin', level: 'custom' }).count).toBe(ADMIN_SUBTYPE_MIN_APPROVALS);
    expect(approvalNeed([rule({ subtype: 'admin', approvals: 3 })], { type: 'system', subtype: 'admin', level: 'custom' }).count).toBe(3);
  });

  it('accepts the console’s rules, typed as plain strings', () => {
    type GraphQLRule = { keyType: string | null; subtype: string | null; level: string | null; approvals: number };
    const fromApi: GraphQLRule[] = [{ keyType: 'system', subtype: null, level: null, approvals: 2 }];
    expect(approvalNeed(fromApi, { type: 'system', subtype: 'monitoring', level: 'read_only' }).count).toBe(2);
  });
});
