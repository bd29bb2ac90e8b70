/**
 * Fixed log-scale latency buckets and the time buckets of the rollups. Fixed buckets
 * make histograms of different minutes, keys and nodes addable, which is what lets an
 * hour or a whole organization be answered from minute rows without raw logs.
 */

/** Four buckets per doubling: bucket i holds latencies in (2^((i-1)/4), 2^(i/4)] ms; bucket 0 holds ≤ 1 ms. */
export const BUCKETS_PER_DOUBLING = 4;
/** 2^(80/4) ms ≈ 17.5 minutes; anything slower lands in the last bucket. */
export const LATENCY_BUCKETS = 81;
const RATIO = 2 ** (1 / BUCKETS_PER_DOUBLING);

/**
 * Percentiles are reported as the geometric middle of the bucket holding the true
 * value, so the estimate is within a factor 2^(1/8) of it: ±9.05 % at most.
 */
export const PERCENTILE_RELATIVE_ERROR = 2 ** (1 / (2 * BUCKETS_PER_DOUBLING)) - 1;

export function latencyBucket(ms: number): number {
  if (!(ms > 1)) return 0;
  const i = Math.ceil(Math.log2(ms) * BUCKETS_PER_DOUBLING - 1e-9);
  return Math.min(LATENCY_BUCKETS - 1, Math.max(0, i));
}

export function bucketUpperMs(i: number): number {
  return RATIO ** i;
}

/** Adds `b` into `a` (dense arrays of counts, trailing zeros may be missing). */
export function addHistogram(a: number[], b: readonly number[] | undefined): number[] {
  if (!b) return a;
  for (let i = 0; i < b.length; i++) a[i] = (a[i] ?? 0) + (b[i] ?? 0);
  return a;
}

/** Drops trailing zeros so stored rows stay small. */
export function trimHistogram(h: number[]): number[] {
  let end = h.length;
  while (end > 0 && !h[end - 1]) end--;
  return h.slice(0, end).map((x) => x ?? 0);
}

/** The p-quantile (0 < p ≤ 1) in ms, or null for an empty histogram. */
export function percentile(h: readonly number[], p: number): number | null {
  let total = 0;
  for (const n of h) total += n ?? 0;
  if (total === 0) return null;
  const rank = Math.max(1, Math.ceil(p * total));
  let acc = 0;
  for (let i = 0; i < h.length; i++) {
    acc += h[i] ?? 0;
    if (acc >= rank) {
      if (i === 0) return 1; // "≤ 1 ms": report the bound itself
      return round3(Math.sqrt(bucketUpperMs(i - 1) * bucketUpperMs(i)));
    }
  }
  return round3(bucketUpperMs(h.length - 1));
}

const round3 = (x: number): number => Math.round(x * 1000) / 1000;

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

export type Granularity = 'MINUTE' | 'HOUR' | 'DAY';
export const GRANULARITY_MS: Record<Granularity, number> = { MINUTE: MINUTE_MS, HOUR: HOUR_MS, DAY: DAY_MS };

export const floorTo = (t: number, unit: number): number => Math.floor(t / unit) * unit;
export const ceilTo = (t: number, unit: number): number => Math.ceil(t / unit) * unit;

export interface Segment {
  granularity: Granularity;
  from: number;
  to: number;
}

/**
 * Covers [from, to) (both on minute boundaries) with the fewest rollup rows: whole days
 * from day rows, the partial days at the edges from hour rows, the partial hours from
 * minute rows. At most 2×59 minute and 2×23 hour rows per key, whatever the range.
 */
export function coverRange(from: number, to: number): Segment[] {
  const out: Segment[] = [];
  const add = (granularity: Granularity, a: number, b: number) => {
    if (b > a) out.push({ granularity, from: a, to: b });
  };
  const h0 = ceilTo(from, HOUR_MS);
  const h1 = floorTo(to, HOUR_MS);
  if (h0 >= h1) {
    add('MINUTE', from, to);
    return out;
  }
  add('MINUTE', from, h0);
  const d0 = ceilTo(h0, DAY_MS);
  const d1 = floorTo(h1, DAY_MS);
  if (d0 >= d1) add('HOUR', h0, h1);
  else {
    add('HOUR', h0, d0);
    add('DAY', d0, d1);
    add('HOUR', d1, h1);
  }
  add('MINUTE', h1, to);
  return out;
}

/** "2xx" … "5xx" of an HTTP status. */
export function statusClass(status: number): string {
  return `${Math.floor(status / 100)}xx`;
}
