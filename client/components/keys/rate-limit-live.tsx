'use client';

import { useEffect, useState } from 'react';
import type { RateLimitStatusQuery } from '@/gql/graphql';
import { fetchRateLimitStatus } from '@/lib/actions/reads';
import { formatNumber } from '@/components/ui/format';
import { EmptyState } from '@/components/ui/states';
import { graphql } from '@/gql';
import { useSubscription } from '@/components/live/use-subscription';
import { LiveBadge } from '@/components/live/live-badge';

const Denials = graphql(`
  subscription KeyLimitEvents($keyId: ID!) { rateLimitEvents(keyId: $keyId) { keyId code count at } }
`);

type Status = RateLimitStatusQuery['rateLimitStatus'];

const POLL_MS = 3_000;

function tone(ratio: number): string {
  return ratio < 0.1 ? 'meter-bad' : ratio < 0.3 ? 'meter-warn' : '';
}

/** Counters straight from the limiter, re-read every few seconds while the page is visible. */
export function RateLimitLive({ keyId, initial }: { keyId: string; initial: Status }) {
  const [status, setStatus] = useState<Status>(initial);
  const [stale, setStale] = useState(false);
  const [denial, setDenial] = useState<{ code: string; count: number; at: number } | null>(null);
  const [bump, setBump] = useState(0);
  // Denials arrive the moment they happen; counters are re-read right away too.
  const sub = useSubscription(Denials, { keyId }, (d) => {
    setDenial(d.rateLimitEvents);
    setBump((n) => n + 1);
  });

  useEffect(() => {
    let stopped = false;
    const tick = async () => {
      if (document.visibilityState !== 'visible') return;
      const r = await fetchRateLimitStatus(keyId);
      if (stopped) return;
      if (r.ok) {
        setStatus(r.data.rateLimitStatus);
        setStale(false);
      } else setStale(true);
    };
    if (bump > 0) void tick();
    const timer = setInterval(tick, POLL_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [keyId, bump]);

  if (status.policies.length === 0) return <EmptyState title="No limits apply to this key" />;
  return (
    <>
      <div className="panel-header">
        <span className={denial ? 'badge badge-bad' : 'muted'} role="status">
          {denial
            ? `${denial.code.replace(/_/g, ' ').toLowerCase()} ×${denial.count} at ${new Date(denial.at).toISOString().slice(11, 19)} UTC`
            : 'No denials since this page opened'}
        </span>
        <LiveBadge error={sub.error} />
      </div>
      <div className="table-wrap">
        <table className="data">
          <thead>
            <tr>
              <th scope="col">Limit</th>
              <th scope="col" className="num">Remaining</th>
              <th scope="col">Capacity left</th>
              <th scope="col" className="num">Resets in</th>
            </tr>
          </thead>
          <tbody>
            {status.policies.map((p) => {
              const ratio = p.quota > 0 ? Math.max(0, Math.min(1, p.remaining / p.quota)) : 0;
              return (
                <tr key={p.name}>
                  <td>{p.name}</td>
                  <td className="num">
                    {formatNumber(p.remaining)} / {formatNumber(p.quota)} {p.unit ?? ''}
                  </td>
                  <td>
                    <div className={`meter ${tone(ratio)}`} role="meter" aria-valuemin={0} aria-valuemax={p.quota} aria-valuenow={p.remaining} aria-label={`${p.name} remaining`}>
                      <span style={{ width: `${ratio * 100}%` }} />
                    </div>
                  </td>
                  <td className="num">{Math.ceil(p.resetSeconds)} s</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <p className="muted" aria-live="polite">
        {!status.live ? 'Limiter store unreachable: showing local limits. ' : ''}
        {status.adaptiveFactor < 1 ? `Adaptive limiting at ${Math.round(status.adaptiveFactor * 100)} %. ` : ''}
        {stale ? 'Could not refresh; showing the last known values.' : `Updates every ${POLL_MS / 1000} s.`}
      </p>
    </>
  );
}
