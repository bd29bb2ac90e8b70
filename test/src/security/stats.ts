/**
 * Small statistics for the timing and soak tests. Written out here (no dependency) so an
 * auditor can read exactly what was computed.
 */

export interface MannWhitney {
  u: number;
  /** Standardised U (normal approximation with tie correction). */
  z: number;
  /** Two-sided p-value. */
  p: number;
  /** Common-language effect size: P(a sample of x > a sample of y) + ½ P(equal). */
  effect: number;
}

/**
 * Mann–Whitney U test of x against y. Rank-based, so a few huge outliers (GC pauses, a
 * loaded machine stealing the CPU) cannot fake or hide a shift the way they can in a t-test.
 */
export function mannWhitneyU(x: readonly number[], y: readonly number[]): MannWhitney {
  const n1 = x.length;
  const n2 = y.length;
  const all = [...x.map((v) => ({ v, g: 0 })), ...y.map((v) => ({ v, g: 1 }))].sort((a, b) => a.v - b.v);
  const ranks = new Array<number>(all.length);
  let tieTerm = 0;
  for (let i = 0; i < all.length; ) {
    let j = i;
    while (j + 1 < all.length && all[j + 1]?.v === all[i]?.v) j++;
    const rank = (i + j + 2) / 2;
    for (let k = i; k <= j; k++) ranks[k] = rank;
    const t = j - i + 1;
    tieTerm += t ** 3 - t;
    i = j + 1;
  }
  let r1 = 0;
  all.forEach((s, i) => {
    if (s.g === 0) r1 += ranks[i] as number;
  });
  const u = r1 - (n1 * (n1 + 1)) / 2;
  const n = n1 + n2;
  const mean = (n1 * n2) / 2;
  const sd = Math.sqrt(((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1))));
  const z = sd === 0 ? 0 : (u - mean) / sd;
  return { u, z, p: 2 * (1 - normalCdf(Math.abs(z))), effect: u / (n1 * n2) };
}

/** Welch's t statistic (unequal variances), reported beside U for readers who expect it. */
export function welchT(x: readonly number[], y: readonly number[]): number {
  const m1 = mean(x);
  const m2 = mean(y);
  const v1 = variance(x, m1);
  const v2 = variance(y, m2);
  const se = Math.sqrt(v1 / x.length + v2 / y.length);
  return se === 0 ? 0 : (m1 - m2) / se;
}

export function mean(x: readonly number[]): number {
  return x.reduce((a, b) => a + b, 0) / x.length;
}

export function variance(x: readonly number[], m = mean(x)): number {
  return x.reduce((a, b) => a + (b - m) ** 2, 0) / Math.max(1, x.length - 1);
}

export function quantile(x: readonly number[], q: number): number {
  const s = [...x].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))] as number;
}

/** Φ(z) by the Abramowitz–Stegun 7.1.26 erf approximation (error < 1.5e-7). */
export function normalCdf(z: number): number {
  const t = 1 / (1 + 0.3275911 * (Math.abs(z) / Math.SQRT2));
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-(z * z) / 2);
  return z >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

export interface LinearFit {
  slope: number;
  intercept: number;
  /** Standard error of the slope. */
  slopeSe: number;
  /** Upper end of the one-sided 95 % confidence bound of the slope (slope + 1.645 se). */
  slopeUpper95: number;
}

/** Least-squares line through (x, y): the soak's memory trend. */
export function linearFit(x: readonly number[], y: readonly number[]): LinearFit {
  const n = x.length;
  const mx = mean(x);
  const my = mean(y);
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    sxx += ((x[i] as number) - mx) ** 2;
    sxy += ((x[i] as number) - mx) * ((y[i] as number) - my);
  }
  const slope = sxx === 0 ? 0 : sxy / sxx;
  const intercept = my - slope * mx;
  let sse = 0;
  for (let i = 0; i < n; i++) sse += ((y[i] as number) - (intercept + slope * (x[i] as number))) ** 2;
  const slopeSe = n > 2 && sxx > 0 ? Math.sqrt(sse / (n - 2) / sxx) : 0;
  return { slope, intercept, slopeSe, slopeUpper95: slope + 1.645 * slopeSe };
}
