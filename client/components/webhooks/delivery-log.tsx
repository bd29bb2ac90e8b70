import Link from 'next/link';
import { graphql } from '@/gql';
import type { WebhookDeliveryStatus } from '@/gql/graphql';
import { gqlRequest } from '@/lib/api';
import { Panel } from '@/components/ui/page-header';
import { EmptyState, ErrorState } from '@/components/ui/states';
import { Badge } from '@/components/ui/badge';
import { Pager } from '@/components/ui/pager';
import { formatDateShort } from '@/components/ui/format';
import { ReplayButton } from './endpoint-actions';

const Deliveries = graphql(`
  query WebhookDeliveries($endpointId: ID, $status: WebhookDeliveryStatus, $after: String) {
    webhookDeliveries(endpointId: $endpointId, status: $status, first: 25, after: $after) {
      endCursor hasNextPage
      nodes {
        id eventType status attemptCount series createdAt lastAttemptAt nextAttemptAt lastStatusCode lastError endpointId
        attempts { attempt series at statusCode latencyMs success error }
      }
    }
  }
`);

interface DeliveryLogProps {
  filter: { endpoint?: string; status?: WebhookDeliveryStatus; after?: string };
  endpoints: readonly { id: string; url: string }[];
  statuses: readonly string[];
}

export async function DeliveryLog({ filter, endpoints, statuses }: DeliveryLogProps) {
  const r = await gqlRequest(Deliveries, { endpointId: filter.endpoint, status: filter.status, after: filter.after });
  const urlOf = new Map(endpoints.map((e) => [e.id, e.url]));
  return (
    <Panel title="Delivery log" id="deliveries">
      <form className="filters" method="get" action="/webhooks" aria-label="Filter deliveries">
        <div className="field field-grow">
          <label htmlFor="dl-endpoint">Endpoint</label>
          <select id="dl-endpoint" name="endpoint" defaultValue={filter.endpoint ?? ''}>
            <option value="">All endpoints</option>
            {endpoints.map((e) => <option key={e.id} value={e.id}>{e.url}</option>)}
          </select>
        </div>
        <div className="field">
          <label htmlFor="dl-status">Status</label>
          <select id="dl-status" name="status" defaultValue={filter.status ?? ''}>
            <option value="">Any</option>
            {statuses.map((s) => <option key={s} value={s}>{s}</option>)}
          </select>
        </div>
        <button className="button button-primary" type="submit">Apply</button>
        <Link className="button" href="/webhooks">Reset</Link>
      </form>
      {!r.ok ? (
        <ErrorState error={r} title="Could not load deliveries" />
      ) : r.data.webhookDeliveries.nodes.length === 0 ? (
        <EmptyState title="No deliveries yet">Send a test event to an endpoint to see one here.</EmptyState>
      ) : (
        <>
          <div className="table-wrap">
            <table className="data">
              <thead>
                <tr>
                  <th scope="col">Event</th>
                  <th scope="col">Endpoint</th>
                  <th scope="col">Status</th>
                  <th scope="col">Attempts</th>
                  <th scope="col">Last attempt</th>
                  <th scope="col"><span className="visually-hidden">Actions</span></th>
                </tr>
              </thead>
              <tbody>
                {r.data.webhookDeliveries.nodes.map((d) => (
                  <tr key={d.id}>
                    <td><span className="mono">{d.eventType}</span><div className="muted mono">{d.id}</div></td>
                    <td className="mono">{urlOf.get(d.endpointId) ?? d.endpointId}</td>
                    <td>
                      <Badge value={d.status} />
                      {d.nextAttemptAt ? <div className="muted">next {formatDateShort(d.nextAttemptAt)}</div> : null}
                    </td>
                    <td>
                      <details>
                        <summary>{d.attemptCount} in series {d.series}{d.lastStatusCode ? ` · HTTP ${d.lastStatusCode}` : ''}</summary>
                        <ol className="timeline">
                          {d.attempts.map((a) => (
                            <li key={`${a.series}-${a.attempt}`}>
                              #{a.series}.{a.attempt} {formatDateShort(a.at)} — {a.success ? 'ok' : 'failed'}{' '}
                              {a.statusCode ? `HTTP ${a.statusCode}` : ''} · {a.latencyMs} ms {a.error ? `· ${a.error}` : ''}
                            </li>
                          ))}
                        </ol>
                      </details>
                    </td>
                    <td className="nowrap">{d.lastAttemptAt ? formatDateShort(d.lastAttemptAt) : '—'}</td>
                    <td>{d.status === 'dead' || d.status === 'succeeded' || d.status === 'cancelled' ? <ReplayButton id={d.id} /> : null}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pager
            basePath="/webhooks"
            params={filter}
            endCursor={r.data.webhookDeliveries.endCursor}
            hasNextPage={r.data.webhookDeliveries.hasNextPage}
            isFirstPage={!filter.after}
          />
        </>
      )}
    </Panel>
  );
}
