'use client';

// Monaco (GraphiQL's editor) runs its language services in workers bundled by Next
// (no CDN); this file registers where they are before GraphiQL loads.
import 'graphiql/setup-workers/webpack';
import 'graphiql/style.css';
import { GraphiQL } from 'graphiql';
import { SCRIPT_HEADER } from '@/lib/csrf';

type FetchParams = { query: string; variables?: unknown; operationName?: string | null };

/**
 * Operations go to the console's own /api/graphql, which forwards them with the
 * session: the token never reaches this page. Subscriptions are not offered here.
 */
async function fetcher(params: FetchParams) {
  const response = await fetch('/api/graphql', {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'content-type': 'application/json', [SCRIPT_HEADER]: '1' },
    body: JSON.stringify(params),
  });
  return response.json();
}

const DEFAULT_QUERY = `# Runs as you, with your permissions.
query Me {
  me { id kind scopes organization { name } }
}
`;

export function GraphiQLView() {
  return (
    <div className="explorer">
      <GraphiQL fetcher={fetcher} defaultQuery={DEFAULT_QUERY} shouldPersistHeaders={false} />
    </div>
  );
}
