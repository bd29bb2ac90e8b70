import type { Metadata } from 'next';
import { graphql } from '@/gql';
import { gqlRequest } from '@/lib/api';
import { AccessHeader } from '@/components/access/access-tabs';
import { ErrorState } from '@/components/ui/states';
import { RoleDialog } from '@/components/access/role-dialog';

export const metadata: Metadata = { title: 'Roles' };

const Roles = graphql(`
  query Roles {
    roles(first: 100) { nodes { id name description builtin scopes } }
    organization { catalogue { resources actions } }
  }
`);

export default async function RolesPage() {
  const result = await gqlRequest(Roles, {});
  const catalogue = result.ok ? result.data.organization.catalogue : { resources: [], actions: [] };
  return (
    <>
      <AccessHeader current="/access/roles" actions={result.ok ? <RoleDialog catalogue={catalogue} /> : null} />
      {!result.ok ? (
        <ErrorState error={result} title="Could not load roles" />
      ) : (
        <div className="table-wrap">
          <table className="data">
            <caption className="visually-hidden">Roles</caption>
            <thead>
              <tr>
                <th scope="col">Role</th>
                <th scope="col">Scopes</th>
                <th scope="col"><span className="visually-hidden">Actions</span></th>
              </tr>
            </thead>
            <tbody>
              {result.data.roles.nodes.map((r) => (
                <tr key={r.id}>
                  <td>
                    <strong>{r.name}</strong> {r.builtin ? <span className="badge">built-in</span> : null}
                    {r.description ? <div className="muted">{r.description}</div> : null}
                  </td>
                  <td>
                    <span className="chips">{r.scopes.map((s) => <span className="chip" key={s}>{s}</span>)}</span>
                  </td>
                  <td>{r.builtin ? null : <RoleDialog catalogue={catalogue} role={r} />}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
