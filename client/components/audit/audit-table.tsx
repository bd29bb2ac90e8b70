import type { AuditEventsQuery } from '@/gql/graphql';
import { formatDate } from '@/components/ui/format';

type Event = AuditEventsQuery['auditEvents']['nodes'][number];

export function AuditTable({ events }: { events: readonly Event[] }) {
  return (
    <div className="table-wrap">
      <table className="data">
        <caption className="visually-hidden">Audit events</caption>
        <thead>
          <tr>
            <th scope="col" className="num">#</th>
            <th scope="col">When</th>
            <th scope="col">Action</th>
            <th scope="col">Actor</th>
            <th scope="col">Target</th>
            <th scope="col">From</th>
            <th scope="col">Change</th>
          </tr>
        </thead>
        <tbody>
          {events.map((e) => (
            <tr key={e.id}>
              <td className="num">{e.seq}</td>
              <td className="nowrap">{formatDate(e.time)}</td>
              <td className="mono">{e.action}</td>
              <td className="mono">{e.actor.type.toLowerCase()} {e.actor.id}</td>
              <td className="mono">{e.target.type} {e.target.id}</td>
              <td className="mono">{e.ip ?? '—'}</td>
              <td>
                {e.before || e.after ? (
                  <details>
                    <summary>Before / after</summary>
                    <pre className="code">{JSON.stringify({ before: e.before, after: e.after }, null, 2)}</pre>
                  </details>
                ) : (
                  <span className="muted">—</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
