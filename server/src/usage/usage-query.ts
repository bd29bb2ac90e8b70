import type { Connection } from 'mongoose';
import { AppError } from '../infra/app-error';
import { apiKeyModel, type ApiKeyDoc } from '../keys/key.model';
import { GRANULARITY_MS, MINUTE_MS, PERCENTILE_RELATIVE_ERROR, ceilTo, coverRange, floorTo, percentile, type Granularity } from './usage-buckets';
import { usageModel, type NameCount, type UsageRollupDoc } from './usage.model';
import { TotalsAccumulator, countOf, emptyTotals, type UsageTotals } from './usage-rollup';

export const MAX_POINTS = 1_500;
const MAX_RANGE_MS = 400 * 86_400_000;
const MAX_KEYS_PER_SUMMARY = 10_000;

export interface LatencyStats {
  p50: number | null;
  p95: number | null;
  p99: number | null;
  meanMs: number | null;
  /** Every percentile is within this relative error of the true value (fixed log buckets). */
  relativeError: number;
}

export interface UsageFigures {
  requests: number;
  valid: number;
  denied: number;
  /** Denied verifications / verifications. */
  errorRate: number;
  codes: NameCount[];
  reported: number;
  statusClasses: NameCount[];
  statuses: NameCount[];
  /** 5xx / reported responses. */
  serverErrorRate: number;
  /** 1 − serverErrorRate; 1 when nothing was reported. */
  availability: number;
  latency: LatencyStats;
  bytesIn: number;
  bytesOut: number;
  countries: NameCount[];
  dimensions: NameCount[];
  distinctIps: number;
}

export interface UsagePoint extends UsageFigures {
  bucketStart: Date;
}

export interface UsageSummaryResult extends UsageFigures {
  from: Date;
  to: Date;
  throughputPerSecond: number;
  topKeys: { keyId: string; name: string; requests: number; errorRate: number }[];
  previous: UsageFigures;
  /** (this − previous) / previous, null when the previous period had none. */
  requestsChange: number | null;
  errorRateChange: number;
  p95Change: number | null;
}

export interface SummaryFilter {
  keyId?: string | null;
  applicationId?: string | null;
  ownerId?: string | null;
}

export function figures(t: UsageTotals): UsageFigures {
  const valid = countOf(t.codes, 'VALID');
  const s5 = countOf(t.statusClasses, '5xx');
  return {
    requests: t.requests,
    valid,
    denied: t.requests - valid,
    errorRate: t.requests ? round((t.requests - valid) / t.requests) : 0,
    codes: t.codes,
    reported: t.reported,
    statusClasses: t.statusClasses,
    statuses: t.statuses,
    serverErrorRate: t.reported ? round(s5 / t.reported) : 0,
    availability: t.reported ? round(1 - s5 / t.reported) : 1,
    latency: {
      p50: percentile(t.latency, 0.5),
      p95: percentile(t.latency, 0.95),
      p99: percentile(t.latency, 0.99),
      meanMs: t.reported ? round(t.latencySumMs / t.reported) : null,
      relativeError: round(PERCENTILE_RELATIVE_ERROR),
    },
    bytesIn: t.bytesIn,
    bytesOut: t.bytesOut,
    countries: t.countries,
    dimensions: t.dimensions ?? [],
    distinctIps: t.distinctIps,
  };
}

const round = (x: number): number => Math.round(x * 1e6) / 1e6;

function checkRange(from: Date, to: Date): { a: number; b: number } {
  const a = floorTo(from.getTime(), MINUTE_MS);
  const b = ceilTo(to.getTime(), MINUTE_MS);
  if (!Number.isFinite(a) || !Number.isFinite(b) || b <= a) throw AppError.badInput('from must be before to', [{ path: ['to'], message: 'must be after from' }]);
  if (b - a > MAX_RANGE_MS) throw AppError.badInput('the range is at most 400 days', [{ path: ['from'], message: 'range too long' }]);
  return { a, b };
}

/**
 * Analytics answered from rollup rows only (never request logs): a key's series, and
 * organization / application / owner / key summaries over any range, covered by the
 * fewest day, hour and minute rows (usage-buckets.ts `coverRange`).
 */
export class UsageQueries {
  constructor(private readonly conn: Connection) {}

  async series(orgId: string, keyId: string, from: Date, to: Date, g: Granularity): Promise<UsagePoint[]> {
    await this.keyOfOrg(orgId, keyId);
    const step = GRANULARITY_MS[g];
    const a = floorTo(checkRange(from, to).a, step);
    const b = ceilTo(to.getTime(), step);
    if ((b - a) / step > MAX_POINTS) {
      throw AppError.badInput(`at most ${MAX_POINTS} points per query: choose a coarser granularity`, [{ path: ['granularity'], message: 'too many points' }]);
    }
    const rows = await usageModel(this.conn, g).find({ keyId, orgId, bucketStart: { $gte: new Date(a), $lt: new Date(b) } }).lean<UsageRollupDoc[]>().exec();
    const byStart = new Map(rows.map((r) => [r.bucketStart.getTime(), r]));
    const out: UsagePoint[] = [];
    for (let t = a; t < b; t += step) out.push({ bucketStart: new Date(t), ...figures(byStart.get(t) ?? emptyTotals()) });
    return out;
  }

  async summary(orgId: string, from: Date, to: Date, filter: SummaryFilter = {}): Promise<UsageSummaryResult> {
    const { a, b } = checkRange(from, to);
    const keyIds = await this.keysFor(orgId, filter);
    const cur = await this.collect(orgId, a, b, keyIds);
    const prev = await this.collect(orgId, a - (b - a), a, keyIds);
    const total = cur.total.totals();
    const previousTotals = prev.total.totals();
    const now = figures(total);
    const before = figures(previousTotals);
    const names = await this.names(orgId, [...cur.perKey.keys()]);
    const topKeys = [...cur.perKey]
      .map(([keyId, acc]) => {
        const f = figures(acc.totals());
        return { keyId, name: names.get(keyId) ?? keyId, requests: f.requests, errorRate: f.errorRate };
      })
      .sort((x, y) => y.requests - x.requests || x.keyId.localeCompare(y.keyId))
      .slice(0, 10);
    return {
      from: new Date(a),
      to: new Date(b),
      ...now,
      countries: now.countries.slice(0, 50),
      throughputPerSecond: round(now.requests / ((b - a) / 1000)),
      topKeys,
      previous: before,
      requestsChange: before.requests ? round((now.requests - before.requests) / before.requests) : null,
      errorRateChange: round(now.errorRate - before.errorRate),
      p95Change: now.latency.p95 !== null && before.latency.p95 ? round((now.latency.p95 - before.latency.p95) / before.latency.p95) : null,
    };
  }

  /** Totals per key over a range (reports). */
  async perKey(orgId: string, from: Date, to: Date): Promise<Map<string, UsageTotals>> {
    const { a, b } = checkRange(from, to);
    const { perKey } = await this.collect(orgId, a, b, null);
    return new Map([...perKey].map(([k, acc]) => [k, acc.totals()]));
  }

  private async collect(orgId: string, a: number, b: number, keyIds: string[] | null): Promise<{ total: TotalsAccumulator; perKey: Map<string, TotalsAccumulator> }> {
    const total = new TotalsAccumulator();
    const perKey = new Map<string, TotalsAccumulator>();
    if (keyIds && keyIds.length === 0) return { total, perKey };
    for (const seg of coverRange(a, b)) {
      const q: Record<string, unknown> = { orgId, bucketStart: { $gte: new Date(seg.from), $lt: new Date(seg.to) } };
      if (keyIds) q.keyId = { $in: keyIds };
      const rows = await usageModel(this.conn, seg.granularity).find(q).lean<UsageRollupDoc[]>().exec();
      for (const r of rows) {
        total.add(r);
        let k = perKey.get(r.keyId);
        if (!k) perKey.set(r.keyId, (k = new TotalsAccumulator()));
        k.add(r);
      }
    }
    return { total, perKey };
  }

  /** null = every key of the organization. */
  private async keysFor(orgId: string, f: SummaryFilter): Promise<string[] | null> {
    if (f.keyId) {
      await this.keyOfOrg(orgId, f.keyId);
      if (!f.applicationId && !f.ownerId) return [f.keyId];
    }
    if (!f.keyId && !f.applicationId && !f.ownerId) return null;
    const q: Record<string, unknown> = { orgId };
    if (f.keyId) q._id = f.keyId;
    if (f.applicationId) q.applicationId = f.applicationId;
    if (f.ownerId) q.ownerId = f.ownerId;
    const docs = await apiKeyModel(this.conn).find(q, { _id: 1 }).limit(MAX_KEYS_PER_SUMMARY).lean<Pick<ApiKeyDoc, '_id'>[]>().exec();
    return docs.map((d) => d._id);
  }

  private async keyOfOrg(orgId: string, keyId: string): Promise<void> {
    const k = await apiKeyModel(this.conn).findOne({ _id: keyId, orgId }, { _id: 1 }).lean().exec();
    if (!k) throw AppError.notFound('key');
  }

  private async names(orgId: string, keyIds: string[]): Promise<Map<string, string>> {
    if (keyIds.length === 0) return new Map();
    const docs = await apiKeyModel(this.conn).find({ orgId, _id: { $in: keyIds } }, { _id: 1, name: 1 }).lean<Pick<ApiKeyDoc, '_id' | 'name'>[]>().exec();
    return new Map(docs.map((d) => [d._id, d.name]));
  }
}
