import { coverRange, latencyBucket, bucketUpperMs, percentile, PERCENTILE_RELATIVE_ERROR, DAY_MS, HOUR_MS, MINUTE_MS } from './usage-buckets';

describe('latency buckets', () => {
  it('put every latency in the bucket whose bounds hold it', () => {
    for (const ms of [0, 0.3, 1, 1.01, 2, 3, 17.5, 100, 999, 60_000]) {
      const i = latencyBucket(ms);
      expect(ms).toBeLessThanOrEqual(bucketUpperMs(i) + 1e-9);
      if (i > 0) expect(ms).toBeGreaterThan(bucketUpperMs(i - 1));
    }
  });

  it('estimate any percentile of a random distribution within the stated error', () => {
    const values = Array.from({ length: 5000 }, () => Math.exp(Math.random() * 8));
    const h: number[] = [];
    for (const v of values) h[latencyBucket(v)] = (h[latencyBucket(v)] ?? 0) + 1;
    for (let i = 0; i < h.length; i++) h[i] ??= 0;
    const sorted = [...values].sort((a, b) => a - b);
    for (const p of [0.5, 0.9, 0.95, 0.99]) {
      const truth = sorted[Math.ceil(p * sorted.length) - 1] as number;
      if (truth <= 1) continue;
      expect(Math.abs((percentile(h, p) as number) - truth) / truth).toBeLessThanOrEqual(PERCENTILE_RELATIVE_ERROR + 1e-9);
    }
    expect(percentile([], 0.5)).toBeNull();
  });
});

describe('coverRange', () => {
  const day = Date.UTC(2026, 0, 10);
  it('covers a range exactly with the fewest rows, without overlap', () => {
    const from = day - 2 * HOUR_MS - 5 * MINUTE_MS;
    const to = day + 3 * DAY_MS + 4 * HOUR_MS + 7 * MINUTE_MS;
    const segs = coverRange(from, to);
    expect(segs.map((s) => s.granularity)).toEqual(['MINUTE', 'HOUR', 'DAY', 'HOUR', 'MINUTE']);
    for (let i = 1; i < segs.length; i++) expect(segs[i]?.from).toBe(segs[i - 1]?.to);
    expect(segs[0]?.from).toBe(from);
    expect(segs.at(-1)?.to).toBe(to);
  });

  it('uses minutes only inside one hour, and no empty segments', () => {
    expect(coverRange(day + MINUTE_MS, day + 30 * MINUTE_MS)).toEqual([{ granularity: 'MINUTE', from: day + MINUTE_MS, to: day + 30 * MINUTE_MS }]);
    expect(coverRange(day, day + DAY_MS)).toEqual([{ granularity: 'DAY', from: day, to: day + DAY_MS }]);
  });
});
