import type { Metadata } from 'next';
import Link from 'next/link';
import { graphql } from '@/gql';
import type { ApiKeyFilter, ApiKeySortDirection } from '@/gql/graphql';
import { gqlRequest } from '@/lib/api';
import { ALL_SUBTYPES, ENVIRONMENTS, KEY_STATUSES, KEY_TYPES, SORT_FIELDS, firstParam, pick } from '@/lib/key-options';
import { PageHeader } from '@/components/ui/page-header';
import { EmptyState, ErrorState } from '@/components/ui/states';
import { Pager } from '@/components/ui/pager';
import { KeyFilters } from '@/components/keys/key-filters';
import { KeyTable } from '@/components/keys/key-table';

export const metadata: Metadata = { title: 'Keys' };

const KeyList = graphql(`
  query KeyList($filter: ApiKeyFilter, $sort: ApiKeySort, $first: Int, $after: String) {
    apiKeys(filter: $filter, sort: $sort, first: $first, after: $after) {
      totalCount
      pageInfo { endCursor hasNextPage }
      nodes {
        id name type subtype environment status start last4 tags expiresAt lastUsedAt createdAt
      }
    }
  }
`);

type Search = Record<string, string | string[] | undefined>;

export default async function KeysPage({ searchParams }: { searchParams: Promise<Search> }) {
  const sp = await searchParams;
  const params = {
    type: pick(KEY_TYPES, sp.type),
    subtype: pick(ALL_SUBTYPES, sp.subtype),
    status: pick(KEY_STATUSES, sp.status),
    environment: pick(ENVIRONMENTS, sp.environment),
    tag: firstParam(sp.tag),
    q: firstParam(sp.q),
    sort: pick(SORT_FIELDS, sp.sort),
    dir: pick(['asc', 'desc'] as const, sp.dir),
    after: firstParam(sp.after),
  };
  const filter: ApiKeyFilter = {
    type: params.type,
    subtype: params.subtype,
    status: params.status,
    environment: params.environment,
    tag: params.tag,
    search: params.q,
  };
  const result = await gqlRequest(KeyList, {
    filter,
    sort: { field: params.sort ?? 'createdAt', direction: (params.dir ?? 'desc') as ApiKeySortDirection },
    first: 25,
    after: params.after,
  });
  const filtered = Object.values(filter).some(Boolean);

  return (
    <>
      <PageHeader
        title="Keys"
        description="Every API key of your organization: find, inspect and act on them."
        actions={
          <Link className="button button-primary" href="/keys/new" prefetch={false}>
            New key
          </Link>
        }
      />
      <KeyFilters values={params} />
      {!result.ok ? (
        <ErrorState error={result} title="Could not load keys" />
      ) : result.data.apiKeys.nodes.length === 0 ? (
        <EmptyState title={filtered ? 'No key matches these filters' : 'No keys yet'}>
          {filtered ? <Link href="/keys">Clear the filters</Link> : <Link href="/keys/new">Create the first key</Link>}
        </EmptyState>
      ) : (
        <>
          <KeyTable keys={result.data.apiKeys.nodes} />
          <Pager
            basePath="/keys"
            params={params}
            endCursor={result.data.apiKeys.pageInfo.endCursor}
            hasNextPage={result.data.apiKeys.pageInfo.hasNextPage}
            isFirstPage={!params.after}
            summary={`${result.data.apiKeys.totalCount} key${result.data.apiKeys.totalCount === 1 ? '' : 's'}${filtered ? ' match' : ''}`}
          />
        </>
      )}
    </>
  );
}
