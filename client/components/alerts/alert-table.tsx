import Link from 'next/link';
import type { AlertsQuery } from '@/gql/graphql';
import { Badge } from '@/components/ui/badge';
import { formatDateShort } from '@/components/ui/format';
import { AlertActions } from './alert-actions';

type Alert = AlertsQuery['alerts']['nodes'][number];

function Response({ r }: { r: Alert['response'] }) {
  if (!r) return <span className="muted">None</span>;
  return (
    <span>
      {r.action.replace(/_/g, ' ')} <Link href={`/keys/${r.keyId}`}>{r.keyId}</Link>
      {r.error ? <span className="muted"> — failed: {r.error}</span> : null}
      <div className="muted">{formatDateShort(r.at)}</div>
    </span>
  );
}

export function AlertTable({ alerts }: { alerts: readonly Alert[] }) {
  return (
    <div className="table-wrap">
      <table className="data">
        <caption className="visually-hidden">Alerts</caption>
        <thead>
          <tr>
            <th scope="col">Severity</th>
            <th scope="col" style={{ width: '45%' }}>Alert</th>
            <th scope="col">Seen</th>
            <th scope="col">Automated response</th>
            <th scope="col">Status</th>
          </tr>
        </thead>
        <tbody>
          {alerts.map((a) => (
            <tr key={a.id} data-alert-id={a.id}>
              <td><Badge value={a.severity} /></td>
              <td>
                <strong>{a.title}</strong>
                <div className="muted">{a.summary}</div>
                <div className="muted mono">
                  {a.keyId ? <Link href={`/keys/${a.keyId}`}>{a.keyId}</Link> : null}
                  {a.ip ? ` · ${a.ip}` : ''}
                </div>
                {a.details.length ? (
                  <details>
                    <summary>Details</summary>
                    <dl className="props">
                      {a.details.map((d) => (
                        <div key={d.name} style={{ display: 'contents' }}>
                          <dt>{d.name}</dt>
                          <dd className="mono">{d.value}</dd>
                        </div>
                      ))}
                    </dl>
                  </details>
                ) : null}
              </td>
              <td className="nowrap">
                ×{a.count} · {formatDateShort(a.lastSeen)}
                <div className="muted">first {formatDateShort(a.firstSeen)}</div>
              </td>
              <td><Response r={a.response} /></td>
              <td>
                <Badge value={a.status} />
                <AlertActions id={a.id} status={a.status} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
