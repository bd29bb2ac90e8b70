'use client';

import Link from 'next/link';
import { useEffect, useState } from 'react';
import type { DashboardTrafficQuery, RateLimitStatusQuery } from '@/gql/graphql';
import { fetchRateLimitStatuses } from '@/lib/actions/reads';
import { EmptyState } from '@/components/ui/states';
import { formatCompact, formatPercent } from '@/components/ui/format';
import { useSubscription } from '@/components/live/use-subscription';
import { graphql } from '@/gql';

type TopKey = DashboardTrafficQuery['usageSummary']['topKeys'][number];
type Status = RateLimitStatusQuery['rateLimitStatus'];

const POLL_MS = 5_000;

const LimitEvents = graphql(`
  subscription BusiestLimitEvents($keyId: ID!) { rateLimitEvents(keyId: $keyId) { keyId code count at } }
`);

/** The tightest limit of a key: the one with the least capacity left. */
function tightest(status: Status | null) {
  if (!status?.policies.length) return null;
  return [...status.policies].sort((a, b) => a.remaining / (a.quota || 1) - b.remaining / (b.quota || 1))[0] ?? null;
}

function Denials({ keyId, onDenied }: { keyId: string; onDenied: (keyId: string, at: number) => void }) {
  useSubscription(LimitEvents, { keyId }, (d) => onDenied(d.rateLimitEvents.keyId, d.rateLimitEvents.at));
  return null;
}

export function BusiestKeys({ keys }: { keys: readonly TopKey[] }) {
  const [statuses, setStatuses] = useState<Record<string, Status | null>>({});
  const [limitedAt, setLimitedAt] = useState<Record<string, number>>({});
  const ids = keys.map((k) => k.keyId).join(',');

  useEffect(() => {
    if (!ids) return;
    let stopped = false;
    const tick = async () => {
      if (document.visibilityState !== 'visible') return;
      const r = await fetchRateLimitStatuses(ids.split(','));
      if (!stopped) setStatuses(Object.fromEntries(r.map((s) => [s.keyId, s.status])));
    };
    void tick();
    const timer = setInterval(tick, POLL_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [ids]);

  if (keys.length === 0) return <EmptyState title="No traffic in the last 24 hours">Keys appear here once they are verified.</EmptyState>;
  const now = Date.now();
  return (
    <div className="table-wrap">
      {keys.map((k) => (
        <Denials key={k.keyId} keyId={k.keyId} onDenied={(id, at) => setLimitedAt((m) => ({ ...m, [id]: at }))} />
      ))}
      <table className="data">
        <thead>
          <tr>
            <th scope="col">Key</th>
            <th scope="col" className="num">Requests (24 h)</th>
            <th scope="col" className="num">Error rate</th>
            <th scope="col">Tightest limit</th>
            <th scope="col">Capacity left</th>
          </tr>
        </thead>
        <tbody>
          {keys.map((k) => {
            const p = tightest(statuses[k.keyId] ?? null);
            const ratio = p ? Math.max(0, Math.min(1, p.remaining / (p.quota || 1))) : null;
            const limited = (limitedAt[k.keyId] ?? 0) > now - 60_000;
            return (
              <tr key={k.keyId}>
                <td>
                  <Link href={`/keys/${k.keyId}`}>{k.name}</Link> {limited ? <span className="badge badge-bad">rate limited</span> : null}
                </td>
                <td className="num">{formatCompact(k.requests)}</td>
                <td className="num">{formatPercent(k.errorRate)}</td>
                <td>{p ? `${p.name}: ${Math.floor(p.remaining)} / ${p.quota}` : '—'}</td>
                <td>
                  {ratio === null ? (
                    '—'
                  ) : (
                    <div
                      className={`meter ${ratio < 0.1 ? 'meter-bad' : ratio < 0.3 ? 'meter-warn' : ''}`}
                      role="meter"
                      aria-valuemin={0}
                      aria-valuemax={1}
                      aria-valuenow={ratio}
                      aria-label={`${k.name} capacity left`}
                    >
                      <span style={{ width: `${ratio * 100}%` }} />
                    </div>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
