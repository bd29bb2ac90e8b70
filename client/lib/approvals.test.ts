import { approvalsNeeded } from './approvals';

const rule = (r: { keyType?: string; subtype?: string; level?: string; approvals: number }) => ({ keyType: null, subtype: null, level: null, ...r });
const DEFAULTS = [rule({ keyType: 'system', approvals: 1 }), rule({ level: 'full', approvals: 1 })];

describe('the wizard’s approval preview', () => {
  it('needs nothing, and says nothing, when no rule matches', () => {
    expect(approvalsNeeded(DEFAULTS, { type: 'application', subtype: 'service', level: 'read_write', scopes: [] })).toEqual({ count: 0, reasons: [] });
  });

  it('names every matching rule and takes the strictest', () => {
    const rules = [rule({ keyType: 'system', approvals: 1 }), rule({ subtype: 'backup', approvals: 2 })];
    expect(approvalsNeeded(rules, { type: 'system', subtype: 'backup', level: 'custom', scopes: ['backup:read'] })).toEqual({
      count: 2,
      reasons: ['policy: system keys → 1 approval', 'policy: subtype backup → 2 approvals'],
    });
    expect(approvalsNeeded([rule({ approvals: 3 })], { type: 'user', subtype: 'personal', level: 'custom', scopes: [] }).reasons).toEqual([
      'policy: every key → 3 approvals',
    ]);
  });

  it('says admin keys always need an approval, before the policy’s reasons', () => {
    expect(approvalsNeeded([], { type: 'system', subtype: 'admin', level: 'custom', scopes: [] })).toEqual({ count: 1, reasons: ['admin keys always need an approval'] });
    expect(approvalsNeeded(DEFAULTS, { type: 'system', subtype: 'admin', level: 'custom', scopes: [] }).reasons).toEqual([
      'admin keys always need an approval',
      'policy: system keys → 1 approval',
    ]);
  });

  it('judges a custom scope list as wide as *:* like a full key', () => {
    const need = approvalsNeeded(DEFAULTS, { type: 'user', subtype: 'personal', level: 'custom', scopes: ['keys:read', '*:*'] });
    expect(need).toEqual({ count: 1, reasons: ['policy: level full → 1 approval'] });
  });

  it('ignores scopes left over from a custom choice once a preset level is picked, as the API does', () => {
    const readOnly = [rule({ level: 'read_only', approvals: 2 })];
    expect(approvalsNeeded(readOnly, { type: 'user', subtype: 'personal', level: 'read_write', scopes: ['keys:read'] }).count).toBe(0);
    expect(approvalsNeeded(readOnly, { type: 'user', subtype: 'personal', level: 'custom', scopes: ['keys:read'] }).count).toBe(2);
  });
});
