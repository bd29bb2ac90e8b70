import { ALL_SUBTYPES, firstParam, KEY_TYPES, pick, SUBTYPES, TYPE_HINTS } from './key-options';

describe('search parameter helpers', () => {
  it('pick keeps only an allowed value, the first when repeated', () => {
    expect(pick(['a', 'b'] as const, 'b')).toBe('b');
    expect(pick(['a', 'b'] as const, ['a', 'b'])).toBe('a');
    expect(pick(['a', 'b'] as const, 'c')).toBeUndefined();
    expect(pick(['a', 'b'] as const, undefined)).toBeUndefined();
  });

  it('firstParam trims and treats blank as absent', () => {
    expect(firstParam('  billing ')).toBe('billing');
    expect(firstParam(['x', 'y'])).toBe('x');
    expect(firstParam('   ')).toBeUndefined();
    expect(firstParam(undefined)).toBeUndefined();
  });
});

describe('key option lists', () => {
  it('give every key type five subtypes, a hint each, and no subtype twice', () => {
    for (const t of KEY_TYPES) {
      expect(SUBTYPES.filter((s) => s.type === t)).toHaveLength(5);
      expect(TYPE_HINTS[t]).toBeTruthy();
    }
    expect(new Set(ALL_SUBTYPES).size).toBe(SUBTYPES.length);
    for (const s of SUBTYPES) expect(s.hint).toBeTruthy();
  });
});
