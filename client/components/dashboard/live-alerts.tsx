'use client';

import Link from 'next/link';
import { useState } from 'react';
import { graphql } from '@/gql';
import type { DashboardAlertsQuery } from '@/gql/graphql';
import { useSubscription } from '@/components/live/use-subscription';
import { LiveBadge } from '@/components/live/live-badge';
import { Badge } from '@/components/ui/badge';
import { EmptyState } from '@/components/ui/states';
import { formatDate } from '@/components/ui/format';

const Raised = graphql(`
  subscription AlertRaised { alertRaised { alertId type severity keyId ip count summary escalated lastSeen at } }
`);

interface Row {
  id: string;
  severity: string;
  title: string;
  summary: string;
  count: number;
  lastSeen: number;
  /** Epoch ms the API published it (live rows only), and when this tab received it. */
  raisedAt?: number;
  receivedAt?: number;
}

const MAX_ROWS = 12;
const titleOf = (type: string) => type.charAt(0) + type.slice(1).toLowerCase().replace(/_/g, ' ');

/**
 * Open alerts at page load, then every alert the API pushes over graphql-ws: a new one
 * appears at the top (an escalated one moves there) without a reload.
 */
export function LiveAlerts({ initial }: { initial: DashboardAlertsQuery['alerts']['nodes'] }) {
  const [rows, setRows] = useState<Row[]>(() =>
    initial.map((a) => ({ id: a.id, severity: a.severity, title: a.title, summary: a.summary, count: a.count, lastSeen: Date.parse(a.lastSeen) })),
  );
  const sub = useSubscription(Raised, {}, (d) => {
    const e = d.alertRaised;
    const row: Row = {
      id: e.alertId, severity: e.severity, title: titleOf(e.type), summary: e.summary, count: e.count, lastSeen: e.lastSeen, raisedAt: e.at, receivedAt: Date.now(),
    };
    setRows((r) => [row, ...r.filter((x) => x.id !== e.alertId)].slice(0, MAX_ROWS));
  });

  return (
    <div>
      <div className="panel-header">
        <span className="muted">{rows.length ? `${rows.length} recent` : ''}</span>
        <LiveBadge error={sub.error} />
      </div>
      {rows.length === 0 ? (
        <EmptyState title="No open alerts">New alerts appear here as they are raised.</EmptyState>
      ) : (
        <ul className="alert-feed" aria-live="polite" aria-label="Security alerts">
          {rows.map((a) => (
            <li key={a.id} className={a.receivedAt ? 'fresh' : undefined} data-alert-id={a.id} data-raised-at={a.raisedAt} data-received-at={a.receivedAt}>
              <Badge value={a.severity} />
              <div>
                <strong>{a.title}</strong>
                <div className="muted">{a.summary}</div>
              </div>
              <div className="muted alert-meta">
                ×{a.count} · last seen <Link href={`/alerts?focus=${a.id}`}>{formatDate(a.lastSeen)}</Link>
              </div>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
