import type { KeyDetailQuery } from '@/gql/graphql';
import { Panel } from '@/components/ui/page-header';
import { EmptyState } from '@/components/ui/states';
import { formatDate } from '@/components/ui/format';

type Event = KeyDetailQuery['apiKey']['history']['nodes'][number];

export function KeyHistory({ events }: { events: readonly Event[] }) {
  return (
    <Panel title="History" id="history">
      {events.length === 0 ? (
        <EmptyState title="No recorded changes" />
      ) : (
        <div className="table-wrap">
          <table className="data">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Action</th>
                <th scope="col">By</th>
              </tr>
            </thead>
            <tbody>
              {events.map((e) => (
                <tr key={e.id}>
                  <td className="nowrap">{formatDate(e.time)}</td>
                  <td className="mono">{e.action}</td>
                  <td className="mono">
                    {e.actor.type.toLowerCase()} {e.actor.id}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Panel>
  );
}
