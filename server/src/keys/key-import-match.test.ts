import { AppError } from '../infra/app-error';
import type { ItemPlan } from './key-import-item';
import { itemError } from './key-import-item';
import { markRepeats, type Slot } from './key-import-match';

const plan = (index: number) => ({ index }) as unknown as ItemPlan;
function slot(index: number, externalId: string | null, hash: string | null): Slot {
  return { index, externalId, plan: plan(index), hash, ref: null, aliasOf: null, existing: null, error: null, attach: false };
}

describe('markRepeats: items repeated within one import call', () => {
  it('answers a repeated externalId with the same value (or both generated) once', () => {
    const s = [slot(0, 'a', null), slot(1, 'a', null), slot(2, 'b', 'h1'), slot(3, 'b', 'h1')];
    markRepeats(s);
    expect(s.map((x) => x.aliasOf)).toEqual([null, 0, null, 2]);
    expect(s.every((x) => x.error === null)).toBe(true);
  });

  it('treats the same value as the same key when one of the two items has no externalId', () => {
    const s = [slot(0, 'a', 'h1'), slot(1, null, 'h1'), slot(2, null, 'h2'), slot(3, null, 'h2')];
    markRepeats(s);
    expect(s.map((x) => x.aliasOf)).toEqual([null, 0, null, 2]);
  });

  it('refuses the later item when an externalId comes with another value, or a value with another externalId', () => {
    const s = [slot(0, 'a', 'h1'), slot(1, 'a', 'h2'), slot(2, 'b', 'h1'), slot(3, 'a', null)];
    markRepeats(s);
    expect(s.map((x) => x.error?.code ?? null)).toEqual([null, 'CONFLICT', 'CONFLICT', 'CONFLICT']);
    expect(s[1]?.error?.message).toBe('item 0 has the same externalId with a different value');
    expect(s[2]?.error?.message).toBe('item 0 has the same value with a different externalId');
  });

  it('leaves items that already failed validation alone', () => {
    const s = [slot(0, 'a', null), { ...slot(1, 'a', null), plan: null }];
    markRepeats(s);
    expect(s[1]?.aliasOf).toBeNull();
  });
});

describe('itemError: an AppError as one item’s error', () => {
  it('makes the field path relative to the item and names the value as the caller did', () => {
    const e = AppError.badInput('customKey: too short', [{ path: ['input', 'customKey'], message: 'too short' }]);
    expect(itemError(e)).toEqual({ code: 'BAD_USER_INPUT', message: 'secret: too short', field: 'secret' });
    expect(itemError(e, 'customKey')).toEqual({ code: 'BAD_USER_INPUT', message: 'customKey: too short', field: 'customKey' });
    const nested = AppError.badInput('bad ip', [{ path: ['input', 'restrictions', 'ipAllowList', 2], message: 'bad ip' }]);
    expect(itemError(nested).field).toBe('restrictions.ipAllowList.2');
    expect(itemError(AppError.forbidden('needs approval', { approvalsRequired: 2 }))).toEqual({ code: 'FORBIDDEN', message: 'needs approval', field: null, approvalsRequired: 2 });
  });
});
