'use client';

import { useState } from 'react';
import { graphql } from '@/gql';
import { useSubscription } from '@/components/live/use-subscription';
import { LiveBadge } from '@/components/live/live-badge';
import { formatDate } from '@/components/ui/format';

export interface LogLine {
  id: string;
  time: number;
  action: string;
  actor: string;
  target: string;
  ip: string | null;
}

const KeyEvents = graphql(`subscription LogKeyEvents { keyEvents { type keyId requestId actorId status at } }`);
const MAX_LINES = 200;

/** Fixed-width columns, so the tail reads like a log file. */
function formatLine(l: LogLine): string {
  return `${formatDate(l.time).padEnd(28)} ${l.action.padEnd(28)} ${l.actor.padEnd(34)} ${l.target}${l.ip ? `  from ${l.ip}` : ''}`;
}

/** Recent audit events, then key and request changes as the API pushes them (a tail -f). */
export function LogTail({ initial }: { initial: LogLine[] }) {
  const [lines, setLines] = useState(initial);
  const [filter, setFilter] = useState('');
  const sub = useSubscription(KeyEvents, {}, (d) => {
    const e = d.keyEvents;
    const target = e.keyId ? `key ${e.keyId}` : `request ${e.requestId ?? '?'}`;
    const line = { id: `live-${e.at}-${e.type}-${target}`, time: e.at, action: `${e.type}${e.status ? ` → ${e.status}` : ''}`, actor: e.actorId, target, ip: null };
    setLines((l) => [line, ...l].slice(0, MAX_LINES));
  });
  const shown = filter ? lines.filter((l) => `${l.action} ${l.actor} ${l.target}`.toLowerCase().includes(filter.toLowerCase())) : lines;
  return (
    <>
      <div className="panel-header">
        <div className="field">
          <label htmlFor="log-filter">Filter lines</label>
          <input id="log-filter" value={filter} onChange={(e) => setFilter(e.target.value)} placeholder="key.revoked, usr_…" />
        </div>
        <LiveBadge error={sub.error} />
      </div>
      <pre className="code" aria-live="polite" aria-label="Log lines">
        {shown.map(formatLine).join('\n') || 'No lines match.'}
      </pre>
    </>
  );
}
