import type { Metadata } from 'next';
import Link from 'next/link';
import { graphql } from '@/gql';
import { gqlRequest } from '@/lib/api';
import { PageHeader, Panel, Stat } from '@/components/ui/page-header';
import { ErrorState } from '@/components/ui/states';
import { formatCompact, formatNumber, formatPercent } from '@/components/ui/format';
import { LiveVolume } from '@/components/dashboard/live-volume';
import { LiveAlerts } from '@/components/dashboard/live-alerts';
import { BusiestKeys } from '@/components/dashboard/busiest-keys';

export const metadata: Metadata = { title: 'Dashboard' };

const KeyStats = graphql(`
  query DashboardKeyStats($soon: DateTimeISO!) {
    active: apiKeys(filter: { status: "active" }, first: 1) { totalCount }
    rotating: apiKeys(filter: { status: "rotating" }, first: 1) { totalCount }
    suspended: apiKeys(filter: { status: "suspended" }, first: 1) { totalCount }
    expiring: apiKeys(filter: { status: "active", expiringBefore: $soon }, first: 1) { totalCount }
    pending: keyRequests(filter: { status: "pending_approval" }, first: 100) { nodes { id } }
  }
`);

const Traffic = graphql(`
  query DashboardTraffic($from: DateTimeISO!, $to: DateTimeISO!) {
    usageSummary(from: $from, to: $to) {
      requests denied errorRate throughputPerSecond requestsChange availability
      latency { p50 p95 p99 }
      topKeys { keyId name requests errorRate }
    }
  }
`);

const OpenAlerts = graphql(`
  query DashboardAlerts {
    alerts(filter: { status: [OPEN, ACKNOWLEDGED] }, first: 8) {
      nodes { id type severity status title summary keyId count lastSeen }
    }
  }
`);

const DAY_MS = 86_400_000;

export default async function DashboardPage() {
  const now = Date.now();
  const [stats, traffic, alerts] = await Promise.all([
    gqlRequest(KeyStats, { soon: new Date(now + 7 * DAY_MS).toISOString() }),
    gqlRequest(Traffic, { from: new Date(now - DAY_MS).toISOString(), to: new Date(now).toISOString() }),
    gqlRequest(OpenAlerts, {}),
  ]);
  const t = traffic.ok ? traffic.data.usageSummary : null;

  return (
    <>
      <PageHeader title="Dashboard" description="Keys, traffic and security alerts at a glance. Traffic figures cover the last 24 hours." />
      {stats.ok ? (
        <div className="stats" aria-label="Key statistics">
          <Stat label="Active keys" value={formatNumber(stats.data.active.totalCount)} hint={<Link href="/keys?status=active">View</Link>} />
          <Stat label="Rotating" value={formatNumber(stats.data.rotating.totalCount)} hint="in their grace period" />
          <Stat label="Suspended" value={formatNumber(stats.data.suspended.totalCount)} tone={stats.data.suspended.totalCount ? 'warn' : undefined} />
          <Stat label="Expiring soon" value={formatNumber(stats.data.expiring.totalCount)} tone={stats.data.expiring.totalCount ? 'warn' : undefined} hint="within 7 days" />
          <Stat label="To approve" value={formatNumber(stats.data.pending.nodes.length)} hint={<Link href="/requests?view=queue">Queue</Link>} />
        </div>
      ) : (
        <ErrorState error={stats} title="Key statistics unavailable" />
      )}
      {t ? (
        <div className="stats" aria-label="Traffic, last 24 hours">
          <Stat
            label="Requests"
            value={formatCompact(t.requests)}
            hint={t.requestsChange == null ? 'no earlier traffic' : `${t.requestsChange >= 0 ? '+' : ''}${formatPercent(t.requestsChange)} vs previous day`}
          />
          <Stat
            label="Error rate"
            value={formatPercent(t.errorRate)}
            tone={t.errorRate > 0.05 ? 'bad' : t.errorRate > 0.01 ? 'warn' : 'ok'}
            hint={`${formatCompact(t.denied)} denied`}
          />
          <Stat
            label="Latency p50/p95"
            value={t.latency.p50 == null ? '—' : `${Math.round(t.latency.p50)} / ${Math.round(t.latency.p95 ?? 0)}`}
            hint={t.latency.p99 == null ? 'no reported requests' : `ms · p99 ${Math.round(t.latency.p99)} ms`}
          />
          <Stat label="Availability" value={formatPercent(t.availability, 2)} tone={t.availability < 0.99 ? 'warn' : 'ok'} />
        </div>
      ) : null}
      <div className="grid-2">
        <Panel title="Request volume (live)" id="volume">
          {traffic.ok ? <LiveVolume /> : <ErrorState error={traffic} title="Traffic unavailable" />}
        </Panel>
        <Panel title="Security alerts" id="alerts" actions={<Link href="/alerts">All alerts</Link>}>
          {alerts.ok ? <LiveAlerts initial={alerts.data.alerts.nodes} /> : <ErrorState error={alerts} title="Alerts unavailable" />}
        </Panel>
      </div>
      <Panel title="Busiest keys — rate-limit status" id="busiest">
        {t ? <BusiestKeys keys={t.topKeys.slice(0, 6)} /> : traffic.ok ? null : <ErrorState error={traffic} title="Traffic unavailable" />}
      </Panel>
    </>
  );
}
