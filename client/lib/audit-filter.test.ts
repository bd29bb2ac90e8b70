import { auditFilter, parseAuditParams } from './audit-filter';

describe('audit filter', () => {
  it('reads the same parameters from a page’s searchParams and from a route’s URLSearchParams', () => {
    const page = parseAuditParams({ action: 'key.revoked', actorType: 'USER', actorId: ' usr_1 ', from: '2026-03-01', to: '2026-03-31' });
    const route = parseAuditParams(new URLSearchParams('action=key.revoked&actorType=USER&actorId=usr_1&from=2026-03-01&to=2026-03-31'));
    expect(page).toEqual({ action: 'key.revoked', actorType: 'USER', actorId: 'usr_1', targetType: undefined, targetId: undefined, from: '2026-03-01', to: '2026-03-31' });
    expect(route).toEqual({ ...page });
  });

  it('drops an unknown actor type and dates that are not YYYY-MM-DD', () => {
    const p = parseAuditParams({ actorType: 'ROBOT', from: '03/01/2026', to: '2026-3-1' });
    expect(p.actorType).toBeUndefined();
    expect(p.from).toBeUndefined();
    expect(p.to).toBeUndefined();
  });

  it('makes "to" a day include that whole day (the API bound is exclusive)', () => {
    expect(auditFilter({ from: '2026-03-01', to: '2026-03-31' })).toMatchObject({ from: '2026-03-01T00:00:00.000Z', to: '2026-04-01T00:00:00.000Z' });
    expect(auditFilter({})).toEqual({
      action: undefined, actorType: undefined, actorId: undefined, targetType: undefined, targetId: undefined, from: undefined, to: undefined,
    });
  });
});
