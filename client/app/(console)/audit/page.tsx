import type { Metadata } from 'next';
import Link from 'next/link';
import { graphql } from '@/gql';
import { gqlRequest } from '@/lib/api';
import { ACTOR_TYPES, auditFilter, parseAuditParams } from '@/lib/audit-filter';
import { firstParam } from '@/lib/key-options';
import { PageHeader } from '@/components/ui/page-header';
import { EmptyState, ErrorState } from '@/components/ui/states';
import { Pager } from '@/components/ui/pager';
import { AuditTable } from '@/components/audit/audit-table';
import { ChainStatus } from '@/components/audit/chain-status';

export const metadata: Metadata = { title: 'Audit log' };

const Events = graphql(`
  query AuditEvents($filter: AuditEventFilter, $after: String) {
    auditEvents(filter: $filter, first: 50, after: $after) {
      pageInfo { endCursor hasNextPage }
      nodes { id seq time action actor { type id } target { type id } ip requestId before after hash }
    }
  }
`);

export default async function AuditPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const sp = await searchParams;
  const p = parseAuditParams(sp);
  const after = firstParam(sp.after);
  const result = await gqlRequest(Events, { filter: auditFilter(p), after });
  const query = new URLSearchParams(Object.entries(p).filter((e): e is [string, string] => typeof e[1] === 'string'));

  return (
    <>
      <PageHeader
        title="Audit log"
        description="Every change, hash-chained per organization so tampering shows."
        actions={
          <>
            <a className="button" href={`/api/export/audit?${query}&format=CSV`} download>Export CSV</a>
            <a className="button" href={`/api/export/audit?${query}&format=NDJSON`} download>Export NDJSON</a>
          </>
        }
      />
      <ChainStatus />
      <form className="filters panel" method="get" action="/audit" aria-label="Filter audit events">
        <div className="field">
          <label htmlFor="au-action">Action</label>
          <input id="au-action" name="action" placeholder="key.revoked" defaultValue={p.action ?? ''} />
        </div>
        <div className="field">
          <label htmlFor="au-actor-type">Actor type</label>
          <select id="au-actor-type" name="actorType" defaultValue={p.actorType ?? ''}>
            <option value="">Any</option>
            {ACTOR_TYPES.map((t) => <option key={t} value={t}>{t.toLowerCase()}</option>)}
          </select>
        </div>
        <div className="field">
          <label htmlFor="au-actor">Actor id</label>
          <input id="au-actor" name="actorId" className="mono" defaultValue={p.actorId ?? ''} />
        </div>
        <div className="field">
          <label htmlFor="au-target-type">Target type</label>
          <input id="au-target-type" name="targetType" placeholder="key" defaultValue={p.targetType ?? ''} size={10} />
        </div>
        <div className="field">
          <label htmlFor="au-target">Target id</label>
          <input id="au-target" name="targetId" className="mono" defaultValue={p.targetId ?? ''} />
        </div>
        <div className="field">
          <label htmlFor="au-from">From</label>
          <input id="au-from" name="from" type="date" defaultValue={p.from ?? ''} />
        </div>
        <div className="field">
          <label htmlFor="au-to">To</label>
          <input id="au-to" name="to" type="date" defaultValue={p.to ?? ''} />
        </div>
        <div className="form-row">
          <button className="button button-primary" type="submit">Apply</button>
          <Link className="button" href="/audit">Reset</Link>
        </div>
      </form>
      {!result.ok ? (
        <ErrorState error={result} title="Could not load the audit log" />
      ) : result.data.auditEvents.nodes.length === 0 ? (
        <EmptyState title="No events match these filters" />
      ) : (
        <>
          <AuditTable events={result.data.auditEvents.nodes} />
          <Pager
            basePath="/audit"
            params={{ ...Object.fromEntries(query), after }}
            endCursor={result.data.auditEvents.pageInfo.endCursor}
            hasNextPage={result.data.auditEvents.pageInfo.hasNextPage}
            isFirstPage={!after}
          />
        </>
      )}
    </>
  );
}
