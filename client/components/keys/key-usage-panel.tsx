import { keyUsageSeries } from '@/lib/usage';
import { Panel } from '@/components/ui/page-header';
import { EmptyState, ErrorState } from '@/components/ui/states';
import { UsageCharts } from '@/components/charts/usage-charts';
import Link from 'next/link';

/** The last 24 hours by hour; the Analytics page offers other periods. */
export async function KeyUsagePanel({ keyId }: { keyId: string }) {
  const series = await keyUsageSeries(keyId, '24h');
  const total = series.ok ? series.data.reduce((n, p) => n + p.valid + p.denied, 0) : 0;
  return (
    <Panel title="Usage — last 24 hours" id="usage" actions={<Link href={`/analytics?key=${keyId}`}>Analyze</Link>}>
      {!series.ok ? (
        <ErrorState error={series} title="Usage unavailable" />
      ) : total === 0 ? (
        <EmptyState title="No requests in the last 24 hours" />
      ) : (
        <UsageCharts points={series.data} granularity="HOUR" />
      )}
    </Panel>
  );
}
