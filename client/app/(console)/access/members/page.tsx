import type { Metadata } from 'next';
import { graphql } from '@/gql';
import { gqlRequest } from '@/lib/api';
import { AccessHeader } from '@/components/access/access-tabs';
import { EmptyState, ErrorState } from '@/components/ui/states';
import { Badge } from '@/components/ui/badge';
import { formatDateShort } from '@/components/ui/format';
import { CreateUserDialog } from '@/components/access/create-user-dialog';
import { DisableUserButton } from '@/components/access/disable-user-button';

export const metadata: Metadata = { title: 'Members' };

const Members = graphql(`
  query Members {
    me { id }
    users(first: 100) { nodes { id email name status lastLoginAt createdAt roles { id name } scopes } }
  }
`);
const RoleChoices = graphql(`query RoleChoices { roles(first: 100) { nodes { id name } } }`);

export default async function MembersPage() {
  const [result, roles] = await Promise.all([gqlRequest(Members, {}), gqlRequest(RoleChoices, {})]);
  return (
    <>
      <AccessHeader current="/access/members" actions={roles.ok ? <CreateUserDialog roles={roles.data.roles.nodes} /> : null} />
      {!result.ok ? (
        <ErrorState error={result} title="Could not load members" />
      ) : result.data.users.nodes.length === 0 ? (
        <EmptyState title="No members" />
      ) : (
        <div className="table-wrap">
          <table className="data">
            <caption className="visually-hidden">Members</caption>
            <thead>
              <tr>
                <th scope="col">Person</th>
                <th scope="col">Roles</th>
                <th scope="col">Direct scopes</th>
                <th scope="col">Status</th>
                <th scope="col">Last sign-in</th>
                <th scope="col"><span className="visually-hidden">Actions</span></th>
              </tr>
            </thead>
            <tbody>
              {result.data.users.nodes.map((u) => (
                <tr key={u.id}>
                  <td>
                    <strong>{u.name || u.email}</strong>
                    <div className="muted">{u.email}</div>
                  </td>
                  <td>{u.roles.map((r) => r.name).join(', ') || <span className="muted">None</span>}</td>
                  <td>
                    <span className="chips">{u.scopes.map((s) => <span className="chip" key={s}>{s}</span>)}</span>
                  </td>
                  <td><Badge value={u.status} /></td>
                  <td className="nowrap">{u.lastLoginAt ? formatDateShort(u.lastLoginAt) : 'Never'}</td>
                  <td>{u.status === 'active' && u.id !== result.data.me.id ? <DisableUserButton userId={u.id} name={u.name || u.email} /> : null}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
