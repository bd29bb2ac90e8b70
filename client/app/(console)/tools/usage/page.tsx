import type { Metadata } from 'next';
import { firstParam, pick } from '@/lib/key-options';
import { PERIODS, keyUsageSeries, type PeriodKey } from '@/lib/usage';
import { PageHeader, Panel } from '@/components/ui/page-header';
import { EmptyState, ErrorState } from '@/components/ui/states';
import { ToolsTabs } from '@/components/tools/tools-tabs';
import { KeyPicker } from '@/components/tools/key-picker';
import { formatBytes, formatDate, formatNumber, formatPercent } from '@/components/ui/format';

export const metadata: Metadata = { title: 'Usage analyzer' };

/** The raw buckets behind the charts, to read exact numbers or spot one bad minute. */
export default async function UsageAnalyzerPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const sp = await searchParams;
  const key = firstParam(sp.key);
  const period: PeriodKey = pick(Object.keys(PERIODS) as PeriodKey[], sp.period) ?? '1h';
  const series = key ? await keyUsageSeries(key, period) : null;
  const rows = series?.ok ? series.data.filter((p) => p.valid + p.denied > 0 || p.bytesIn + p.bytesOut > 0) : [];
  return (
    <>
      <PageHeader title="Tools" description="Explore the API and answer “why” questions about keys and limits." />
      <ToolsTabs current="/tools/usage" />
      <KeyPicker action="/tools/usage" selected={key}>
        <div className="field">
          <label htmlFor="ua-period">Period</label>
          <select id="ua-period" name="period" defaultValue={period}>
            {Object.entries(PERIODS).map(([k, p]) => <option key={k} value={k}>{p.label} (per {p.granularity.toLowerCase()})</option>)}
          </select>
        </div>
      </KeyPicker>
      {!key ? (
        <EmptyState title="Choose a key" />
      ) : series && !series.ok ? (
        <ErrorState error={series} />
      ) : (
        <Panel title={`Buckets with traffic (${rows.length})`} id="buckets">
          {rows.length === 0 ? (
            <EmptyState title="No traffic in this period" />
          ) : (
            <div className="table-wrap">
              <table className="data">
                <thead>
                  <tr>
                    <th scope="col">Bucket (UTC)</th>
                    <th scope="col" className="num">Valid</th>
                    <th scope="col" className="num">Denied</th>
                    <th scope="col" className="num">Error rate</th>
                    <th scope="col" className="num">p50 / p95 / p99</th>
                    <th scope="col" className="num">In / out</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((p) => (
                    <tr key={p.t}>
                      <td className="nowrap">{formatDate(p.t)}</td>
                      <td className="num">{formatNumber(p.valid)}</td>
                      <td className="num">{formatNumber(p.denied)}</td>
                      <td className="num">{formatPercent(p.errorRate)}</td>
                      <td className="num">{[p.p50, p.p95, p.p99].map((v) => (v == null ? '—' : Math.round(v))).join(' / ')} ms</td>
                      <td className="num">{formatBytes(p.bytesIn)} / {formatBytes(p.bytesOut)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </Panel>
      )}
    </>
  );
}
