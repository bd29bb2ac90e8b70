import { nextFactor } from './adaptive';

const policy = { enabled: true, errorRateThreshold: 0.5, minFactor: 0.25, minRequests: 10 };

describe('adaptive factor', () => {
  it('halves while the error rate is above the threshold, down to the floor', () => {
    expect(nextFactor(1, { total: 100, errors: 80 }, policy)).toBe(0.5);
    expect(nextFactor(0.5, { total: 100, errors: 80 }, policy)).toBe(0.25);
    expect(nextFactor(0.25, { total: 100, errors: 80 }, policy)).toBe(0.25);
  });

  it('recovers towards 1 when healthy or quiet', () => {
    expect(nextFactor(0.25, { total: 100, errors: 0 }, policy)).toBe(0.5);
    expect(nextFactor(0.5, { total: 2, errors: 2 }, policy)).toBe(1);
    expect(nextFactor(1, { total: 100, errors: 0 }, policy)).toBe(1);
  });

  it('keeps the factor between half the threshold and the threshold', () => {
    expect(nextFactor(0.5, { total: 100, errors: 40 }, policy)).toBe(0.5);
  });
});
