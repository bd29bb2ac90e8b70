import fc from 'fast-check';
import { canonicalJson } from './canonical-json';

describe('canonicalJson', () => {
  it('sorts keys at every depth and drops whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: 'x' } })).toBe('{"a":{"c":"x","d":[3,{"y":2,"z":1}]},"b":1}');
  });

  it('gives the same string for objects that differ only in key order', () => {
    expect(canonicalJson({ x: 1, y: { p: true, q: null } })).toBe(canonicalJson({ y: { q: null, p: true }, x: 1 }));
  });

  it('omits undefined members but keeps null, and writes undefined in arrays as null', () => {
    expect(canonicalJson({ a: undefined, b: null, c: [undefined, 1] })).toBe('{"b":null,"c":[null,1]}');
  });

  it('writes dates as ISO strings and escapes strings like JSON', () => {
    expect(canonicalJson({ t: new Date('2024-01-02T03:04:05.006Z'), s: 'a"b\\c\n\u2028é' })).toBe(
      `{"s":${JSON.stringify('a"b\\c\n\u2028é')},"t":"2024-01-02T03:04:05.006Z"}`,
    );
  });

  it('orders keys by code unit, not locale', () => {
    expect(canonicalJson({ b: 1, B: 2, _: 3, é: 4, a: 5 })).toBe('{"B":2,"_":3,"a":5,"b":1,"é":4}');
  });

  it('refuses values that would silently collapse to null', () => {
    expect(() => canonicalJson({ n: Number.NaN })).toThrow(/non-finite/);
    expect(() => canonicalJson({ n: Number.POSITIVE_INFINITY })).toThrow(/non-finite/);
    expect(() => canonicalJson({ n: BigInt(1) })).toThrow(/bigint/);
  });

  it('refuses circular structures but accepts shared (non-circular) references', () => {
    const shared = { v: 1 };
    expect(canonicalJson({ a: shared, b: shared })).toBe('{"a":{"v":1},"b":{"v":1}}');
    const loop: Record<string, unknown> = {};
    loop.self = loop;
    expect(() => canonicalJson(loop)).toThrow(/circular/);
  });

  it('round-trips: parsing the output and re-serializing gives the same string', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const s = canonicalJson(v);
        expect(canonicalJson(JSON.parse(s))).toBe(s);
      }),
    );
  });
});
