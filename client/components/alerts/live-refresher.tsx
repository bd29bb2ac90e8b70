'use client';

import { useRouter } from 'next/navigation';
import { useRef, useState } from 'react';
import { graphql } from '@/gql';
import { useSubscription } from '@/components/live/use-subscription';
import { LiveBadge } from '@/components/live/live-badge';

const Raised = graphql(`subscription AlertsPageRaised { alertRaised { alertId at } }`);

/**
 * Keeps the server-rendered alert list live: each pushed alert re-renders the page's
 * data (at most once a second, so a burst is one refresh), filters included.
 */
export function LiveRefresher() {
  const router = useRouter();
  const [count, setCount] = useState(0);
  const pending = useRef<ReturnType<typeof setTimeout> | null>(null);
  const sub = useSubscription(Raised, {}, () => {
    setCount((n) => n + 1);
    if (pending.current) return;
    pending.current = setTimeout(() => {
      pending.current = null;
      router.refresh();
    }, 1_000);
  });
  return (
    <span className="form-row">
      {count ? <span className="muted">{count} new since opened</span> : null}
      <LiveBadge error={sub.error} />
    </span>
  );
}
