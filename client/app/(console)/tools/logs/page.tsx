import type { Metadata } from 'next';
import Link from 'next/link';
import { graphql } from '@/gql';
import type { RecentLogQuery } from '@/gql/graphql';
import { gqlRequest } from '@/lib/api';
import { PageHeader, Panel } from '@/components/ui/page-header';
import { ErrorState } from '@/components/ui/states';
import { ToolsTabs } from '@/components/tools/tools-tabs';
import { LogTail } from '@/components/tools/log-tail';

export const metadata: Metadata = { title: 'Log viewer' };

const Recent = graphql(`
  query RecentLog { auditEvents(first: 40) { nodes { id seq time action actor { type id } target { type id } ip } } }
`);

function logLine(e: RecentLogQuery['auditEvents']['nodes'][number]) {
  const actor = `${e.actor.type.toLowerCase()} ${e.actor.id}`;
  return { id: e.id, time: Date.parse(e.time), action: e.action, actor, target: `${e.target.type} ${e.target.id}`, ip: e.ip ?? null };
}

export default async function LogViewerPage() {
  const r = await gqlRequest(Recent, {});
  return (
    <>
      <PageHeader title="Tools" description="Explore the API and answer “why” questions about keys and limits." />
      <ToolsTabs current="/tools/logs" />
      <Panel title="Activity log" id="log" actions={<Link href="/audit">Search the full audit log</Link>}>
        {r.ok ? (
          <LogTail initial={r.data.auditEvents.nodes.map(logLine)} />
        ) : (
          <ErrorState error={r} title="Could not load the log" />
        )}
      </Panel>
    </>
  );
}
