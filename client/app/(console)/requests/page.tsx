import type { Metadata } from 'next';
import Link from 'next/link';
import { graphql } from '@/gql';
import type { KeyRequestFilter } from '@/gql/graphql';
import { gqlRequest } from '@/lib/api';
import { holds } from '@/lib/scopes';
import { pick } from '@/lib/key-options';
import { PageHeader } from '@/components/ui/page-header';
import { Tabs } from '@/components/ui/tabs';
import { EmptyState, ErrorState } from '@/components/ui/states';
import { RequestTable } from '@/components/requests/request-table';

export const metadata: Metadata = { title: 'Requests' };

const Requests = graphql(`
  query Requests($filter: KeyRequestFilter) {
    me { id scopes }
    keyRequests(filter: $filter, first: 50) {
      nodes {
        id status requesterId approvalsRequired justification createdAt claimExpiresAt claimedAt keyId
        approvals { userId comment at }
        rejection { userId reason at }
        key { name type subtype environment permissionLevel grantedScopes }
      }
    }
  }
`);

/** Names for requester ids; needs users:read (approvers have it), else ids are shown. */
const People = graphql(`query RequestPeople { users(first: 100) { nodes { id name email } } }`);

const VIEWS = ['mine', 'queue', 'all'] as const;

export default async function RequestsPage({ searchParams }: { searchParams: Promise<{ view?: string }> }) {
  const view = pick(VIEWS, (await searchParams).view) ?? 'mine';
  const filter: KeyRequestFilter = view === 'mine' ? { mine: true } : view === 'queue' ? { pendingForMe: true } : {};
  const [result, users] = await Promise.all([gqlRequest(Requests, { filter }), gqlRequest(People, {})]);
  const people = new Map(users.ok ? users.data.users.nodes.map((u) => [u.id, u.name || u.email]) : []);
  const canApprove = result.ok && holds(result.data.me.scopes, 'keys:approve');

  return (
    <>
      <PageHeader
        title="Requests"
        description="Keys asked for, waiting for approval, and ready to claim."
        actions={
          <Link className="button button-primary" href="/keys/new" prefetch={false}>
            Request a key
          </Link>
        }
      />
      <Tabs
        label="Request views"
        current={`/requests?view=${view}`}
        tabs={[
          { href: '/requests?view=mine', label: 'My requests' },
          { href: '/requests?view=queue', label: 'Approval queue' },
          { href: '/requests?view=all', label: 'All requests' },
        ]}
      />
      {!result.ok ? (
        <ErrorState error={result} title="Could not load requests" />
      ) : view === 'queue' && !canApprove ? (
        <EmptyState title="You are not an approver">Approving needs the keys:approve permission.</EmptyState>
      ) : result.data.keyRequests.nodes.length === 0 ? (
        <EmptyState title={view === 'queue' ? 'Nothing waiting for your approval' : 'No requests'}>
          {view === 'mine' ? <Link href="/keys/new">Request a key</Link> : null}
        </EmptyState>
      ) : (
        <RequestTable requests={result.data.keyRequests.nodes} meId={result.data.me.id} canApprove={canApprove} people={people} />
      )}
    </>
  );
}
