import { INITIAL, STEPS, stepProblem, toInput, type WizardState } from './model';

const state = (patch: Partial<WizardState>): WizardState => ({ ...INITIAL, applicationId: 'app_1', name: 'billing', ...patch });

describe('the wizard’s answers as API input', () => {
  it('leaves unset sections out so the organization’s defaults apply', () => {
    expect(toInput(state({}))).toEqual({
      type: 'application',
      subtype: 'service',
      name: 'billing',
      description: undefined,
      environment: 'production',
      applicationId: 'app_1',
      permissionLevel: 'custom',
      scopes: [],
      roleIds: undefined,
      restrictions: undefined,
      rateLimit: undefined,
      expiresAt: undefined,
      rotationPolicy: undefined,
      tags: undefined,
    });
  });

  it('sends scopes only for a custom level and the application only for application keys', () => {
    const input = toInput(state({ type: 'user', subtype: 'personal', permissionLevel: 'read_only', scopes: ['keys:read'] }));
    expect(input.scopes).toBeUndefined();
    expect(input.applicationId).toBeUndefined();
  });

  it('splits lists, upper-cases countries and applies one restriction mode to every rule', () => {
    const input = toInput(state({ ipAllowList: '10.0.0.0/8, 2001:db8::1', referrers: 'https://*.example.com', countries: 'de fr', restrictionMode: 'report_only' }));
    expect(input.restrictions).toEqual({
      ipAllowList: ['10.0.0.0/8', '2001:db8::1'],
      referrers: ['https://*.example.com'],
      countries: ['DE', 'FR'],
      mode: { ip: 'report_only', referrer: 'report_only', country: 'report_only' },
    });
  });

  it('turns limits into whole non-negative numbers and an expiry date into the end of that day', () => {
    const input = toInput(state({ perSecond: '5.7', perMinute: '-3', expiry: 'date', expiresOn: '2026-06-30' }));
    expect(input.rateLimit).toEqual({ perSecond: 5, perMinute: 0, perHour: undefined, perDay: undefined });
    expect(input.expiresAt).toBe('2026-06-30T23:59:59.000Z');
  });

  it('sends a custom rotation schedule with the grace in seconds', () => {
    expect(toInput(state({ rotation: 'custom', rotateEveryDays: '30', rotateGraceHours: '2' })).rotationPolicy).toEqual({ everyDays: 30, gracePeriodSeconds: 7200 });
    expect(toInput(state({ rotation: 'custom', rotateEveryDays: '', rotateGraceHours: '' })).rotationPolicy).toEqual({ everyDays: 90, gracePeriodSeconds: 86_400 });
  });
});

describe('what stops a step from going on', () => {
  it('names the missing answer of each step', () => {
    expect(stepProblem(1, state({ applicationId: '' }))).toMatch(/application/);
    expect(stepProblem(2, state({ permissionLevel: 'custom', scopes: [], roleIds: [] }))).toMatch(/scope or role/);
    expect(stepProblem(3, state({ subtype: 'web', referrers: '' }))).toMatch(/referrer/);
    expect(stepProblem(5, state({ expiry: 'date', expiresOn: '' }))).toMatch(/expiry date/);
    expect(stepProblem(STEPS.length - 1, state({ name: '  ' }))).toMatch(/name/);
  });

  it('lets a complete answer through', () => {
    const done = state({ scopes: ['keys:read'], referrers: 'https://a.example', expiry: 'date', expiresOn: '2026-06-30' });
    for (let step = 0; step < STEPS.length; step++) expect(stepProblem(step, done)).toBeNull();
  });
});
