'use client';

import { useLive } from './live-provider';

const LABELS = { connecting: 'Connecting…', live: 'Live', reconnecting: 'Reconnecting…', unavailable: 'Offline' } as const;

/** Says whether live panes are receiving updates, for people and for tests. */
export function LiveBadge({ error }: { error?: string | null }) {
  const { state } = useLive();
  const shown = error ? 'Live updates unavailable' : LABELS[state];
  return (
    <span className={`live-badge live-${error ? 'unavailable' : state}`} role="status" aria-live="polite" title={error ?? undefined}>
      <span className="live-dot" aria-hidden="true" />
      {shown}
    </span>
  );
}
