import { graphql } from '@/gql';
import type { UsageGranularity } from '@/gql/graphql';
import type { UsageChartPoint } from '@/components/charts/usage-charts';
import { gqlRequest, type ApiResult } from './api';

const KeyUsage = graphql(`
  query KeyUsage($keyId: ID!, $from: DateTimeISO!, $to: DateTimeISO!, $granularity: UsageGranularity!) {
    usage(keyId: $keyId, from: $from, to: $to, granularity: $granularity) {
      bucketStart requests valid denied errorRate serverErrorRate bytesIn bytesOut
      latency { p50 p95 p99 }
    }
  }
`);

export const PERIODS = {
  '1h': { ms: 3_600_000, granularity: 'MINUTE', label: 'Last hour' },
  '24h': { ms: 86_400_000, granularity: 'HOUR', label: 'Last 24 hours' },
  '7d': { ms: 7 * 86_400_000, granularity: 'HOUR', label: 'Last 7 days' },
  '30d': { ms: 30 * 86_400_000, granularity: 'DAY', label: 'Last 30 days' },
} as const satisfies Record<string, { ms: number; granularity: UsageGranularity; label: string }>;
export type PeriodKey = keyof typeof PERIODS;

export function periodRange(period: PeriodKey, now = Date.now()): { from: string; to: string } {
  return { from: new Date(now - PERIODS[period].ms).toISOString(), to: new Date(now).toISOString() };
}

/** One key's buckets over a period, flattened for the charts. */
export async function keyUsageSeries(keyId: string, period: PeriodKey): Promise<ApiResult<UsageChartPoint[]>> {
  const r = await gqlRequest(KeyUsage, { keyId, ...periodRange(period), granularity: PERIODS[period].granularity });
  if (!r.ok) return r;
  return {
    ok: true,
    data: r.data.usage.map((p) => ({
      t: Date.parse(p.bucketStart),
      valid: p.valid,
      denied: p.denied,
      errorRate: p.errorRate,
      serverErrorRate: p.serverErrorRate,
      p50: p.latency.p50,
      p95: p.latency.p95,
      p99: p.latency.p99,
      bytesIn: p.bytesIn,
      bytesOut: p.bytesOut,
    })),
  };
}
