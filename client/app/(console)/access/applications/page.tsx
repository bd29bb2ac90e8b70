import type { Metadata } from 'next';
import Link from 'next/link';
import { graphql } from '@/gql';
import { gqlRequest } from '@/lib/api';
import { AccessHeader } from '@/components/access/access-tabs';
import { EmptyState, ErrorState } from '@/components/ui/states';
import { formatDate } from '@/components/ui/format';
import { CreateApplicationDialog } from '@/components/access/create-application-dialog';

export const metadata: Metadata = { title: 'Applications' };

const Apps = graphql(`
  query Applications { applications(first: 100) { nodes { id name description environments ownerId createdAt } } }
`);

export default async function ApplicationsPage() {
  const result = await gqlRequest(Apps, {});
  return (
    <>
      <AccessHeader current="/access/applications" actions={<CreateApplicationDialog />} />
      {!result.ok ? (
        <ErrorState error={result} title="Could not load applications" />
      ) : result.data.applications.nodes.length === 0 ? (
        <EmptyState title="No applications yet">Application keys belong to an application: create one first.</EmptyState>
      ) : (
        <div className="table-wrap">
          <table className="data">
            <caption className="visually-hidden">Applications</caption>
            <thead>
              <tr>
                <th scope="col">Application</th>
                <th scope="col">Environments</th>
                <th scope="col">Owner</th>
                <th scope="col">Created</th>
                <th scope="col"><span className="visually-hidden">Keys</span></th>
              </tr>
            </thead>
            <tbody>
              {result.data.applications.nodes.map((a) => (
                <tr key={a.id}>
                  <td>
                    <strong>{a.name}</strong>
                    {a.description ? <div className="muted">{a.description}</div> : null}
                  </td>
                  <td>{a.environments.join(', ')}</td>
                  <td className="mono">{a.ownerId}</td>
                  <td className="nowrap">{formatDate(a.createdAt)}</td>
                  <td className="nowrap">
                    <Link href={`/keys?q=&type=application`}>Keys</Link> · <Link href={`/analytics?application=${a.id}`}>Usage</Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
