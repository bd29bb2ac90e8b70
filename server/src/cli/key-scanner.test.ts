import { formatKey, generateKey } from '../keys/key-format';
import { maskKey, scanText } from './key-scanner';

describe('key scanner', () => {
  const key = generateKey({ environment: 'staging' }).key;

  it('reports keys with a valid checksum, wherever they sit on a line', () => {
    const text = `a=${key}\n"${key}",\nMY_${key}\nurl?api_key=${key}&x=1`;
    expect(scanText('f', text).map((f) => [f.line, f.column])).toEqual([
      [1, 3],
      [2, 2],
      [3, 4],
      [4, 13],
    ]);
  });

  it('ignores look-alikes: wrong checksum, glued to more characters, unknown environment', () => {
    const wrong = key.slice(0, -1) + (key.endsWith('0') ? '1' : '0');
    const zeros = formatKey('lk', 'production', new Uint8Array(32)).key;
    expect(scanText('f', `${wrong}\n${key}X\nX${key.replace('_stg_', '_qa1_')}\n`)).toEqual([]);
    expect(scanText('f', zeros)).toHaveLength(1);
  });

  it('masks all but the display prefix and the last four characters', () => {
    expect(maskKey(key)).toBe(`${key.slice(0, 11)}…${key.slice(-4)}`);
    expect(maskKey(key)).not.toContain(key.slice(11, -4));
  });
});
