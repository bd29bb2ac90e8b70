import { AppError } from '../infra/app-error';
import { approvalNeed, type ApprovalSubject } from '@latchkey/schema';
import { defaultOrgPolicy, lifetimeFor, type OrgPolicy } from './org-policy';
import { applyPolicyPatch } from './org-policy.schema';

function fieldsOf(fn: () => unknown): { path: (string | number)[]; message: string }[] {
  try {
    fn();
  } catch (e) {
    if (e instanceof AppError && e.code === 'BAD_USER_INPUT') return (e.details.fields ?? []) as { path: (string | number)[]; message: string }[];
    throw e;
  }
  throw new Error('expected BAD_USER_INPUT');
}

// The rule is the contract's (schema/src/approval.test.ts); these pin what the defaults decide.
const approvalsRequired = (policy: Pick<OrgPolicy, 'approvalRules'>, key: ApprovalSubject) => approvalNeed(policy.approvalRules, key).count;

describe('organization policy defaults', () => {
  const p = defaultOrgPolicy();

  it('system keys and full-level keys need one approval; others none', () => {
    expect(approvalsRequired(p, { type: 'system', subtype: 'monitoring', level: 'read_only' })).toBe(1);
    expect(approvalsRequired(p, { type: 'application', subtype: 'service', level: 'full' })).toBe(1);
    expect(approvalsRequired(p, { type: 'application', subtype: 'service', level: 'read_write' })).toBe(0);
    expect(approvalsRequired(p, { type: 'user', subtype: 'personal', level: 'read_only' })).toBe(0);
  });

  it('a custom scope set as wide as *:* counts as full', () => {
    expect(approvalsRequired(p, { type: 'user', subtype: 'personal', level: 'custom', scopes: ['*:*'] })).toBe(1);
  });

  it('admin keys need at least one approval whatever the rules say', () => {
    expect(approvalsRequired({ approvalRules: [] }, { type: 'system', subtype: 'admin', level: 'read_only' })).toBe(1);
  });

  it('has lifetimes per type, warnings at 30/7/1 days and no recoverable keys', () => {
    expect(lifetimeFor(p, 'user')).toEqual({ keyType: 'user', maxDays: 90, expiryRequired: true });
    expect(p.expiryWarningDays).toEqual([30, 7, 1]);
    expect(p.recoverableKeysAllowed).toBe(false);
  });

  it('defaults are not shared between callers', () => {
    const a = defaultOrgPolicy();
    a.expiryWarningDays.push(99);
    expect(defaultOrgPolicy().expiryWarningDays).toEqual([30, 7, 1]);
  });
});

describe('applyPolicyPatch', () => {
  const base = defaultOrgPolicy();

  it('keeps sections left out and merges objects field by field', () => {
    const next = applyPolicyPatch(base, { defaultRateLimit: { perHour: 5000 }, recoverableKeysAllowed: true });
    expect(next.defaultRateLimit).toEqual({ ...base.defaultRateLimit, perHour: 5000 });
    expect(next.recoverableKeysAllowed).toBe(true);
    expect(next.approvalRules).toEqual(base.approvalRules);
  });

  it('null inside a limit means no limit', () => {
    expect(applyPolicyPatch(base, { defaultRateLimit: { perSecond: null } }).defaultRateLimit.perSecond).toBeNull();
  });

  it('merges key lifetimes per type', () => {
    const next = applyPolicyPatch(base, { keyLifetimes: [{ keyType: 'user', maxDays: 30, expiryRequired: true }] });
    expect(lifetimeFor(next, 'user').maxDays).toBe(30);
    expect(lifetimeFor(next, 'system')).toEqual(lifetimeFor(base, 'system'));
  });

  it('sorts warning lead times descending', () => {
    expect(applyPolicyPatch(base, { expiryWarningDays: [1, 14, 3] }).expiryWarningDays).toEqual([14, 3, 1]);
  });

  it('reports every problem with its field path', () => {
    const fields = fieldsOf(() =>
      applyPolicyPatch(base, {
        approvalRules: [{ keyType: 'system', approvals: 9 }, { keyType: 'robot', approvals: 1 }, { keyType: 'user', subtype: 'admin', approvals: 1 }],
        expiryWarningDays: [7, 7],
        rotation: { gracePeriodSeconds: -1 },
      }),
    );
    const paths = fields.map((f) => f.path.join('.'));
    expect(paths).toEqual(
      expect.arrayContaining([
        'input.approvalRules.0.approvals',
        'input.approvalRules.1.keyType',
        'input.approvalRules.2.subtype',
        'input.expiryWarningDays',
        'input.rotation.gracePeriodSeconds',
      ]),
    );
  });

  it('refuses an admin rule with zero approvals', () => {
    const fields = fieldsOf(() => applyPolicyPatch(base, { approvalRules: [{ subtype: 'admin', approvals: 0 }] }));
    expect(fields).toEqual([{ path: ['input', 'approvalRules', 0, 'approvals'], message: 'admin keys always need at least one approval' }]);
  });

  it('refuses a key type listed twice and a null section', () => {
    const twice = [
      { keyType: 'user', maxDays: 1, expiryRequired: true },
      { keyType: 'user', maxDays: 2, expiryRequired: true },
    ];
    expect(fieldsOf(() => applyPolicyPatch(base, { keyLifetimes: twice }))[0]?.path).toEqual(['input', 'keyLifetimes', 1, 'keyType']);
    expect(fieldsOf(() => applyPolicyPatch(base, { rotation: null }))[0]?.path).toEqual(['input', 'rotation']);
  });

  it('refuses values of the wrong type', () => {
    const fields = fieldsOf(() => applyPolicyPatch(base, { approvalRules: [{ keyType: { $ne: null }, approvals: 1 }] }));
    expect(fields[0]?.path).toEqual(['input', 'approvalRules', 0, 'keyType']);
  });
});
