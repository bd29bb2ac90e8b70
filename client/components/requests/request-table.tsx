import type { RequestsQuery } from '@/gql/graphql';
import { Badge } from '@/components/ui/badge';
import { formatDate, formatDateShort } from '@/components/ui/format';
import { ApproveReject } from './approve-reject';
import { ClaimButton } from './claim-button';
import { ReissueButton } from './reissue-button';

type Request = RequestsQuery['keyRequests']['nodes'][number];

export function RequestTable({ requests, meId, canApprove, people }: { requests: readonly Request[]; meId: string; canApprove: boolean; people: ReadonlyMap<string, string> }) {
  return (
    <div className="table-wrap">
      <table className="data">
        <caption className="visually-hidden">Key requests</caption>
        <thead>
          <tr>
            <th scope="col" style={{ minWidth: '14rem' }}>Key</th>
            <th scope="col">Permissions</th>
            <th scope="col">Requested</th>
            <th scope="col">Status</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {requests.map((r) => {
            const mine = r.requesterId === meId;
            return (
              <tr key={r.id} data-request-id={r.id}>
                <td>
                  <strong>{r.key.name}</strong>
                  <div className="muted">
                    {r.key.type} · {r.key.subtype.replace(/_/g, ' ')} · {r.key.environment}
                  </div>
                  {r.justification ? <div className="muted">“{r.justification}”</div> : null}
                </td>
                <td>
                  <span className="chips">
                    {r.key.grantedScopes.map((s) => (
                      <span className="chip" key={s}>
                        {s}
                      </span>
                    ))}
                  </span>
                </td>
                <td>
                  {mine ? 'you' : (people.get(r.requesterId) ?? <span className="mono">{r.requesterId}</span>)}
                  <div className="muted nowrap" title={formatDate(r.createdAt)}>{formatDateShort(r.createdAt)}</div>
                </td>
                <td>
                  <Badge value={r.status} />
                  {r.rejection ? <div className="muted">{r.rejection.reason}</div> : null}
                  {r.status === 'approved' && r.claimExpiresAt ? <div className="muted">claim by {formatDateShort(r.claimExpiresAt)}</div> : null}
                  <div className="muted">
                    {r.approvals.length} of {r.approvalsRequired} approval{r.approvalsRequired === 1 ? '' : 's'}
                  </div>
                  {r.approvals.map((a) => (a.comment ? <div className="muted" key={a.userId}>“{a.comment}”</div> : null))}
                </td>
                <td>
                  {r.status === 'pending_approval' && canApprove && !mine && !r.approvals.some((a) => a.userId === meId) ? (
                    <ApproveReject requestId={r.id} name={r.key.name} />
                  ) : null}
                  {r.status === 'approved' && mine ? <ClaimButton requestId={r.id} /> : null}
                  {r.status === 'claim_expired' && canApprove ? <ReissueButton requestId={r.id} /> : null}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
