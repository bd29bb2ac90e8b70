import type { Metadata } from 'next';
import { graphql } from '@/gql';
import { gqlRequest } from '@/lib/api';
import { firstParam, pick } from '@/lib/key-options';
import { PERIODS, keyUsageSeries, periodRange, type PeriodKey } from '@/lib/usage';
import { PageHeader, Panel } from '@/components/ui/page-header';
import { EmptyState, ErrorState } from '@/components/ui/states';
import { UsageCharts } from '@/components/charts/usage-charts';
import { AnalyticsPicker } from '@/components/analytics/analytics-picker';
import { SummaryStats, RankedTable, TopKeysTable } from '@/components/analytics/summary';

export const metadata: Metadata = { title: 'Analytics' };

const Choices = graphql(`
  query AnalyticsChoices {
    apiKeys(first: 100, sort: { field: lastUsedAt, direction: desc }) { nodes { id name } }
    applications(first: 100) { nodes { id name } }
  }
`);

const Summary = graphql(`
  query AnalyticsSummary($from: DateTimeISO!, $to: DateTimeISO!, $keyId: ID, $applicationId: ID) {
    usageSummary(from: $from, to: $to, keyId: $keyId, applicationId: $applicationId) {
      requests valid denied errorRate serverErrorRate availability throughputPerSecond bytesIn bytesOut distinctIps reported
      requestsChange errorRateChange p95Change
      latency { p50 p95 p99 meanMs relativeError }
      previous { requests errorRate latency { p95 } }
      codes { name count }
      statusClasses { name count }
      countries { name count }
      topKeys { keyId name requests errorRate }
    }
  }
`);

type Search = Record<string, string | string[] | undefined>;

export default async function AnalyticsPage({ searchParams }: { searchParams: Promise<Search> }) {
  const sp = await searchParams;
  const period: PeriodKey = pick(Object.keys(PERIODS) as PeriodKey[], sp.period) ?? '24h';
  const keyId = firstParam(sp.key);
  const applicationId = keyId ? undefined : firstParam(sp.application);
  const [choices, summary, series] = await Promise.all([
    gqlRequest(Choices, {}),
    gqlRequest(Summary, { ...periodRange(period), keyId, applicationId }),
    keyId ? keyUsageSeries(keyId, period) : Promise.resolve(null),
  ]);
  const s = summary.ok ? summary.data.usageSummary : null;

  return (
    <>
      <PageHeader title="Analytics" description="Volume, latency, errors, bandwidth and geography, answered from rollups." />
      <AnalyticsPicker
        keys={choices.ok ? choices.data.apiKeys.nodes : []}
        applications={choices.ok ? choices.data.applications.nodes : []}
        values={{ key: keyId, application: applicationId, period }}
      />
      {!summary.ok ? (
        <ErrorState error={summary} title="Could not load analytics" />
      ) : s ? (
        <>
          <SummaryStats s={s} periodLabel={PERIODS[period].label} />
          {keyId ? (
            <Panel title="Over time" id="series">
              {series && !series.ok ? (
                <ErrorState error={series} />
              ) : series?.data.length ? (
                <UsageCharts points={series.data} granularity={PERIODS[period].granularity} />
              ) : (
                <EmptyState title="No data" />
              )}
            </Panel>
          ) : (
            <Panel title="Busiest keys" id="top">
              <TopKeysTable keys={s.topKeys} period={period} />
            </Panel>
          )}
          <div className="grid-2">
            <Panel title="Geography" id="geo">
              <RankedTable rows={s.countries} label="Country" empty="No client countries recorded" />
            </Panel>
            <Panel title="Outcomes" id="outcomes">
              <RankedTable rows={s.codes} label="Verification result" empty="No verifications" />
              <h3 style={{ marginTop: '1rem' }}>Reported response classes</h3>
              <RankedTable rows={s.statusClasses} label="Status class" empty="Services have not reported responses (POST /v1/usage)" />
            </Panel>
          </div>
        </>
      ) : null}
    </>
  );
}
