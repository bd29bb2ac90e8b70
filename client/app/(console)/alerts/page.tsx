import type { Metadata } from 'next';
import Link from 'next/link';
import { graphql } from '@/gql';
import type { AlertFilterInput, AlertSeverity, AlertStatus, AlertType } from '@/gql/graphql';
import { gqlRequest } from '@/lib/api';
import { firstParam, pick } from '@/lib/key-options';
import { PageHeader } from '@/components/ui/page-header';
import { EmptyState, ErrorState } from '@/components/ui/states';
import { Pager } from '@/components/ui/pager';
import { AlertTable } from '@/components/alerts/alert-table';
import { LiveRefresher } from '@/components/alerts/live-refresher';

export const metadata: Metadata = { title: 'Alerts' };

const STATUSES = ['OPEN', 'ACKNOWLEDGED', 'RESOLVED'] as const satisfies readonly AlertStatus[];
const SEVERITIES = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFO'] as const satisfies readonly AlertSeverity[];
const TYPES = [
  'AUTH_FAILURES_IP', 'AUTH_FAILURES_KEY', 'EMERGENCY_KEY_USED', 'KEY_IN_QUERY_STRING', 'NEW_COUNTRY', 'NEW_NETWORK', 'PERMISSION_VIOLATIONS',
  'RATE_LIMIT_VIOLATIONS', 'RESTRICTION_VIOLATIONS', 'ROTATED_KEY_GRACE_ENDING', 'UNUSUAL_VOLUME', 'WEBHOOK_DEAD_LETTER',
] as const satisfies readonly AlertType[];

const Alerts = graphql(`
  query Alerts($filter: AlertFilterInput, $after: String) {
    alerts(filter: $filter, first: 30, after: $after) {
      pageInfo { endCursor hasNextPage }
      nodes {
        id type severity status title summary keyId ownerId ip count firstSeen lastSeen acknowledgedBy resolvedBy
        details { name value }
        response { action at keyId error }
      }
    }
  }
`);

function Select({ name, label, options, value }: { name: string; label: string; options: readonly string[]; value?: string }) {
  return (
    <div className="field">
      <label htmlFor={`al-${name}`}>{label}</label>
      <select id={`al-${name}`} name={name} defaultValue={value ?? ''}>
        <option value="">Any</option>
        {options.map((o) => (
          <option key={o} value={o}>
            {o.toLowerCase().replace(/_/g, ' ')}
          </option>
        ))}
      </select>
    </div>
  );
}

export default async function AlertsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const sp = await searchParams;
  const params = { status: pick(STATUSES, sp.status), severity: pick(SEVERITIES, sp.severity), type: pick(TYPES, sp.type), key: firstParam(sp.key), after: firstParam(sp.after) };
  const filter: AlertFilterInput = {
    status: params.status ? [params.status] : undefined,
    severity: params.severity ? [params.severity] : undefined,
    type: params.type ? [params.type] : undefined,
    keyId: params.key,
  };
  const result = await gqlRequest(Alerts, { filter, after: params.after });

  return (
    <>
      <PageHeader title="Alerts" description="Security signals from the verify path, de-duplicated, with what the policy did about them." actions={<LiveRefresher />} />
      <form className="filters panel" method="get" action="/alerts" aria-label="Filter alerts">
        <Select name="status" label="Status" options={STATUSES} value={params.status} />
        <Select name="severity" label="Severity" options={SEVERITIES} value={params.severity} />
        <Select name="type" label="Type" options={TYPES} value={params.type} />
        <div className="field">
          <label htmlFor="al-key">Key id</label>
          <input id="al-key" name="key" className="mono" defaultValue={params.key ?? ''} />
        </div>
        <div className="form-row">
          <button className="button button-primary" type="submit">Apply</button>
          <Link className="button" href="/alerts">Reset</Link>
        </div>
      </form>
      {!result.ok ? (
        <ErrorState error={result} title="Could not load alerts" />
      ) : result.data.alerts.nodes.length === 0 ? (
        <EmptyState title="No alerts match">New alerts appear here as soon as they are raised.</EmptyState>
      ) : (
        <>
          <AlertTable alerts={result.data.alerts.nodes} />
          <Pager
            basePath="/alerts"
            params={params}
            endCursor={result.data.alerts.pageInfo.endCursor}
            hasNextPage={result.data.alerts.pageInfo.hasNextPage}
            isFirstPage={!params.after}
          />
        </>
      )}
    </>
  );
}
