import type { Metadata } from 'next';
import Link from 'next/link';
import { graphql } from '@/gql';
import type { WebhookDeliveryStatus } from '@/gql/graphql';
import { gqlRequest } from '@/lib/api';
import { firstParam, pick } from '@/lib/key-options';
import { PageHeader, Panel } from '@/components/ui/page-header';
import { EmptyState, ErrorState } from '@/components/ui/states';
import { Badge } from '@/components/ui/badge';
import { formatDateShort } from '@/components/ui/format';
import { EndpointDialog } from '@/components/webhooks/endpoint-dialog';
import { EndpointActions } from '@/components/webhooks/endpoint-actions';
import { DeliveryLog } from '@/components/webhooks/delivery-log';

export const metadata: Metadata = { title: 'Webhooks' };

const Endpoints = graphql(`
  query WebhookEndpoints {
    webhookEndpoints { id url description events enabled disabledReason secretRotatedAt previousSecretExpiresAt createdAt }
  }
`);

const STATUSES = ['pending', 'retrying', 'succeeded', 'dead', 'cancelled'] as const satisfies readonly WebhookDeliveryStatus[];

export default async function WebhooksPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const sp = await searchParams;
  const filter = { endpoint: firstParam(sp.endpoint), status: pick(STATUSES, sp.status), after: firstParam(sp.after) };
  const endpoints = await gqlRequest(Endpoints, {});

  return (
    <>
      <PageHeader title="Webhooks" description="Signed events to your endpoints, with every delivery attempt." actions={<EndpointDialog />} />
      <Panel title="Endpoints" id="endpoints">
        {!endpoints.ok ? (
          <ErrorState error={endpoints} title="Could not load endpoints" />
        ) : endpoints.data.webhookEndpoints.length === 0 ? (
          <EmptyState title="No endpoints yet">Add one to receive key and alert events.</EmptyState>
        ) : (
          <div className="table-wrap">
            <table className="data">
              <thead>
                <tr>
                  <th scope="col">Endpoint</th>
                  <th scope="col">Events</th>
                  <th scope="col">State</th>
                  <th scope="col">Secret</th>
                  <th scope="col"><span className="visually-hidden">Actions</span></th>
                </tr>
              </thead>
              <tbody>
                {endpoints.data.webhookEndpoints.map((e) => (
                  <tr key={e.id}>
                    <td>
                      <Link href={`/webhooks?endpoint=${e.id}`} className="mono">{e.url}</Link>
                      {e.description ? <div className="muted">{e.description}</div> : null}
                    </td>
                    <td>{e.events.length ? <span className="chips">{e.events.map((ev) => <span className="chip" key={ev}>{ev}</span>)}</span> : 'All events'}</td>
                    <td>
                      <Badge value={e.enabled ? 'enabled' : 'disabled'} />
                      {e.disabledReason ? <div className="muted">{e.disabledReason}</div> : null}
                    </td>
                    <td className="nowrap">
                      {e.secretRotatedAt ? `rotated ${formatDateShort(e.secretRotatedAt)}` : `since ${formatDateShort(e.createdAt)}`}
                      {e.previousSecretExpiresAt ? <div className="muted">old one valid until {formatDateShort(e.previousSecretExpiresAt)}</div> : null}
                    </td>
                    <td>
                      <div className="form-row">
                        <EndpointDialog endpoint={e} />
                        <EndpointActions id={e.id} url={e.url} />
                      </div>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Panel>
      <DeliveryLog filter={filter} endpoints={endpoints.ok ? endpoints.data.webhookEndpoints : []} statuses={STATUSES} />
    </>
  );
}
