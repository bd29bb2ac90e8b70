import { csvRecords } from './csv';

const cell = (v: unknown) => csvRecords([[v]]).slice(0, -2);

describe('csv', () => {
  it('quotes per RFC 4180 only where needed', () => {
    expect(cell('plain')).toBe('plain');
    expect(cell('a,b')).toBe('"a,b"');
    expect(cell('say "hi"')).toBe('"say ""hi"""');
    expect(cell('line\nbreak')).toBe('"line\nbreak"');
    expect(cell(null)).toBe('');
    expect(cell(undefined)).toBe('');
    expect(csvRecords([['a', 1], ['b', 2]])).toBe('a,1\r\nb,2\r\n');
  });

  it('defuses text a spreadsheet would run as a formula, never numbers', () => {
    for (const f of ['=1+1', '+1', '-1+2', '@SUM(A1)', '\tx', '\rx', '＝1', '-5']) expect(cell(f)).toMatch(/^"?'/);
    expect(cell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(cell(-5)).toBe('-5');
    expect(cell(-1.5e-7)).toBe('-1.5e-7');
    expect(cell('a=b')).toBe('a=b');
  });

  it('writes dates as ISO, lists joined and other objects as JSON', () => {
    const d = new Date('2024-01-01T00:00:00Z');
    expect(cell(d)).toBe('2024-01-01T00:00:00.000Z');
    expect(cell(['x', d])).toBe('x; 2024-01-01T00:00:00.000Z');
    expect(cell({ a: 1 })).toBe('"{""a"":1}"');
    expect(cell(true)).toBe('true');
    expect(cell(['=cmd'])).toBe("'=cmd");
  });
});
