import { TokenBucket } from './token-bucket';

describe('bandwidth token bucket', () => {
  it('paces bytes at its rate after a small burst', () => {
    let now = 0;
    const b = new TokenBucket(1_000, 100, () => now);
    expect(b.reserve(100)).toBe(0);
    expect(b.reserve(100)).toBeCloseTo(0, 5);
    expect(b.reserve(100)).toBeCloseTo(100, 5);
    now = 10_000;
    expect(b.reserve(50)).toBe(0);
  });
});
