import { addHistogram, trimHistogram, LATENCY_BUCKETS } from './usage-buckets';
import type { NameCount, UsageRollupDoc } from './usage.model';

/** The additive part of a rollup row: what minute → hour → day and summaries add up. */
export type UsageTotals = Omit<UsageRollupDoc, '_id' | 'orgId' | 'keyId' | 'bucketStart'>;

export function emptyTotals(): UsageTotals {
  return {
    requests: 0,
    codes: [],
    reported: 0,
    statusClasses: [],
    statuses: [],
    latency: [],
    latencySumMs: 0,
    bytesIn: 0,
    bytesOut: 0,
    countries: [],
    dimensions: [],
    distinctIps: 0,
  };
}

const num = (v: string | undefined): number => {
  const n = Number(v);
  return Number.isFinite(n) ? n : 0;
};

function sorted(m: Map<string, number>): NameCount[] {
  return [...m].filter(([, c]) => c > 0).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([name, count]) => ({ name, count }));
}

/**
 * A minute row from its raw counters: our hash (see usage-keys.ts), the limiter's
 * outcome hash (code → count) and the minute's HyperLogLog count. Pure, so folding
 * the same counters twice yields the same row.
 */
export function minuteTotals(ours: Record<string, string>, limiter: Record<string, string>, distinctIps: number): UsageTotals {
  const codes = new Map<string, number>();
  const statuses = new Map<string, number>();
  const classes = new Map<string, number>();
  const countries = new Map<string, number>();
  const dimensions = new Map<string, number>();
  const latency: number[] = [];
  for (const [code, v] of Object.entries(limiter)) codes.set(code, (codes.get(code) ?? 0) + num(v));
  for (const [f, v] of Object.entries(ours)) {
    const n = num(v);
    const colon = f.indexOf(':');
    const kind = colon < 0 ? f : f.slice(0, colon);
    const name = colon < 0 ? '' : f.slice(colon + 1);
    if (kind === 'c') codes.set(name, (codes.get(name) ?? 0) + n);
    else if (kind === 'cc') countries.set(name, n);
    else if (kind === 'dm') dimensions.set(name, n);
    else if (kind === 's') statuses.set(name, n);
    else if (kind === 'sc') classes.set(name, n);
    else if (kind === 'l') {
      const i = Number(name);
      if (Number.isInteger(i) && i >= 0 && i < LATENCY_BUCKETS) latency[i] = (latency[i] ?? 0) + n;
    }
  }
  for (let i = 0; i < latency.length; i++) latency[i] ??= 0;
  let requests = 0;
  for (const c of codes.values()) requests += c;
  return {
    requests,
    codes: sorted(codes),
    reported: num(ours.rn),
    statusClasses: sorted(classes),
    statuses: sorted(statuses),
    latency: trimHistogram(latency),
    latencySumMs: num(ours.ls),
    bytesIn: num(ours.bi),
    bytesOut: num(ours.bo),
    countries: sorted(countries),
    dimensions: sorted(dimensions),
    distinctIps,
  };
}

/** Adds rows. `distinctIps` cannot be added (the same IP in two minutes): callers take it from a wider HLL or use the max as a lower bound. */
export class TotalsAccumulator {
  private readonly maps = {
    codes: new Map<string, number>(),
    statusClasses: new Map<string, number>(),
    statuses: new Map<string, number>(),
    countries: new Map<string, number>(),
    dimensions: new Map<string, number>(),
  };
  private latency: number[] = [];
  readonly t = emptyTotals();

  add(r: UsageTotals): this {
    this.t.requests += r.requests;
    this.t.reported += r.reported;
    this.t.latencySumMs += r.latencySumMs;
    this.t.bytesIn += r.bytesIn;
    this.t.bytesOut += r.bytesOut;
    this.t.distinctIps = Math.max(this.t.distinctIps, r.distinctIps);
    for (const k of ['codes', 'statusClasses', 'statuses', 'countries', 'dimensions'] as const) {
      const m = this.maps[k];
      for (const { name, count } of r[k] ?? []) m.set(name, (m.get(name) ?? 0) + count);
    }
    this.latency = addHistogram(this.latency, r.latency);
    return this;
  }

  totals(): UsageTotals {
    return {
      ...this.t,
      codes: sorted(this.maps.codes),
      statusClasses: sorted(this.maps.statusClasses),
      statuses: sorted(this.maps.statuses),
      countries: sorted(this.maps.countries),
      dimensions: sorted(this.maps.dimensions),
      latency: trimHistogram(this.latency),
    };
  }
}

export const countOf = (list: readonly NameCount[], name: string): number => list.find((x) => x.name === name)?.count ?? 0;
