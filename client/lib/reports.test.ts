import { parseReportParams, reportVariables } from './reports';

describe('report parameters', () => {
  afterEach(() => jest.useRealTimers());

  it('default to last month’s monthly usage report (UTC)', () => {
    jest.useFakeTimers({ now: new Date('2026-03-15T10:00:00Z') });
    expect(parseReportParams({})).toEqual({ kind: 'MONTHLY_USAGE', from: '2026-02-01', to: '2026-03-01', unusedDays: undefined });
  });

  it('take a known kind, valid dates and a positive whole number of unused days', () => {
    const p = parseReportParams(new URLSearchParams('kind=COMPLIANCE&from=2026-01-01&to=2026-02-01&unusedDays=30'));
    expect(p).toEqual({ kind: 'COMPLIANCE', from: '2026-01-01', to: '2026-02-01', unusedDays: 30 });
    expect(reportVariables(p)).toEqual({ kind: 'COMPLIANCE', from: '2026-01-01T00:00:00.000Z', to: '2026-02-01T00:00:00.000Z', unusedDays: 30 });
  });

  it('fall back on anything else', () => {
    jest.useFakeTimers({ now: new Date('2026-01-10T00:00:00Z') });
    const p = parseReportParams({ kind: 'EVERYTHING', from: 'yesterday', unusedDays: '-3' });
    expect(p).toEqual({ kind: 'MONTHLY_USAGE', from: '2025-12-01', to: '2026-01-01', unusedDays: undefined });
    expect(parseReportParams({ unusedDays: '2.5' }).unusedDays).toBeUndefined();
  });
});
