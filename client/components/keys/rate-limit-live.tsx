'use client';

import { useEffect, useState } from 'react';
import type { RateLimitStatusQuery } from '@/gql/graphql';
import { fetchRateLimitStatus } from '@/lib/actions/reads';
import { formatNumber } from '@/components/ui/format';
import { EmptyState } from '@/components/ui/states';

type Status = RateLimitStatusQuery['rateLimitStatus'];

const POLL_MS = 3_000;

function tone(ratio: number): string {
  return ratio < 0.1 ? 'meter-bad' : ratio < 0.3 ? 'meter-warn' : '';
}

/** Counters straight from the limiter, re-read every few seconds while the page is visible. */
export function RateLimitLive({ keyId, initial }: { keyId: string; initial: Status }) {
  const [status, setStatus] = useState<Status>(initial);
  const [stale, setStale] = useState(false);

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
    const timer = setInterval(tick, POLL_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [keyId]);

  if (status.policies.length === 0) return <EmptyState title="No limits apply to this key" />;
  return (
    <>
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
