import Link from 'next/link';
import type { AnalyticsSummaryQuery } from '@/gql/graphql';
import { Stat } from '@/components/ui/page-header';
import { EmptyState } from '@/components/ui/states';
import { formatBytes, formatCompact, formatNumber, formatPercent } from '@/components/ui/format';

type Summary = AnalyticsSummaryQuery['usageSummary'];

function change(v: number | null | undefined, unit = ''): string {
  if (v == null) return 'no earlier data';
  return `${v >= 0 ? '+' : ''}${unit === 'pt' ? `${(v * 100).toFixed(1)} pt` : formatPercent(v)} vs previous period`;
}

/** Per second when there is at least one a second, else per minute (two significant digits). */
function throughput(perSecond: number): string {
  return perSecond >= 1 ? `${perSecond.toFixed(1)}/s` : `${Number((perSecond * 60).toPrecision(2))}/min`;
}

export function SummaryStats({ s, periodLabel }: { s: Summary; periodLabel: string }) {
  const ms = (v: number | null | undefined) => (v == null ? '—' : `${Math.round(v)} ms`);
  return (
    <div className="stats" aria-label={`Summary, ${periodLabel}`}>
      <Stat label="Requests" value={formatCompact(s.requests)} hint={change(s.requestsChange)} />
      <Stat label="Throughput" value={throughput(s.throughputPerSecond)} hint={`${formatNumber(s.distinctIps)} distinct IPs`} />
      <Stat label="Error rate" value={formatPercent(s.errorRate)} tone={s.errorRate > 0.05 ? 'bad' : undefined} hint={change(s.errorRateChange, 'pt')} />
      <Stat
        label="Latency p50/p95"
        value={s.latency.p50 == null ? '—' : `${Math.round(s.latency.p50)} / ${Math.round(s.latency.p95 ?? 0)}`}
        hint={`ms · p99 ${ms(s.latency.p99)} · ±${formatPercent(s.latency.relativeError)}`}
      />
      <Stat label="Availability" value={formatPercent(s.availability, 2)} hint={`${formatCompact(s.reported)} responses reported`} />
      <Stat label="Bandwidth" value={formatBytes(s.bytesIn + s.bytesOut)} hint={`${formatBytes(s.bytesIn)} in · ${formatBytes(s.bytesOut)} out`} />
    </div>
  );
}

/** A ranked list with a proportional bar: the geography "map" as a table people can read. */
export function RankedTable({ rows, label, empty }: { rows: readonly { name: string; count: number }[]; label: string; empty: string }) {
  if (rows.length === 0) return <EmptyState title={empty} />;
  const sorted = [...rows].sort((a, b) => b.count - a.count);
  const total = sorted.reduce((n, r) => n + r.count, 0);
  return (
    <div className="table-wrap">
      <table className="data">
        <thead>
          <tr>
            <th scope="col">{label}</th>
            <th scope="col" className="num">Requests</th>
            <th scope="col">Share</th>
          </tr>
        </thead>
        <tbody>
          {sorted.slice(0, 15).map((r) => (
            <tr key={r.name}>
              <td>{r.name}</td>
              <td className="num">{formatNumber(r.count)}</td>
              <td>
                <div className="meter" role="meter" aria-label={`${r.name} share`} aria-valuemin={0} aria-valuemax={1} aria-valuenow={r.count / total}>
                  <span style={{ width: `${(r.count / total) * 100}%`, background: 'var(--accent)' }} />
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function TopKeysTable({ keys, period }: { keys: Summary['topKeys']; period: string }) {
  if (keys.length === 0) return <EmptyState title="No traffic in this period" />;
  return (
    <div className="table-wrap">
      <table className="data">
        <thead>
          <tr>
            <th scope="col">Key</th>
            <th scope="col" className="num">Requests</th>
            <th scope="col" className="num">Error rate</th>
          </tr>
        </thead>
        <tbody>
          {keys.map((k) => (
            <tr key={k.keyId}>
              <td>
                <Link href={`/analytics?key=${k.keyId}&period=${period}`}>{k.name}</Link>
              </td>
              <td className="num">{formatNumber(k.requests)}</td>
              <td className="num">{formatPercent(k.errorRate)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
