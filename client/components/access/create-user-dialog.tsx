'use client';

import { createUser } from '@/lib/actions/access';
import { FormDialog, failure, list, text } from '@/components/ui/form-dialog';

export function CreateUserDialog({ roles }: { roles: readonly { id: string; name: string }[] }) {
  return (
    <FormDialog
      title="Add member"
      description="You can only give roles and scopes you hold yourself."
      submitLabel="Add member"
      trigger={<button className="button button-primary" type="button">Add member</button>}
      onSubmit={async (form) =>
        failure(
          await createUser({
            email: text(form, 'email'),
            name: text(form, 'name') || undefined,
            password: text(form, 'password'),
            roleIds: form.getAll('roleIds').map(String),
            scopes: list(form, 'scopes'),
          }),
        )
      }
    >
      <div className="field">
        <label htmlFor="cu-email">Email</label>
        <input id="cu-email" name="email" type="email" required autoComplete="off" />
      </div>
      <div className="field">
        <label htmlFor="cu-name">Name</label>
        <input id="cu-name" name="name" autoComplete="off" />
      </div>
      <div className="field">
        <label htmlFor="cu-password">Initial password</label>
        <input id="cu-password" name="password" type="password" minLength={12} required autoComplete="new-password" aria-describedby="cu-password-hint" />
        <p className="field-hint" id="cu-password-hint">At least 12 characters, not common or guessable. Share it with them out of band.</p>
      </div>
      <fieldset>
        <legend>Roles</legend>
        {roles.map((r) => (
          <label className="checkbox" key={r.id}>
            <input type="checkbox" name="roleIds" value={r.id} defaultChecked={r.name === 'developer'} />
            {r.name}
          </label>
        ))}
      </fieldset>
      <div className="field">
        <label htmlFor="cu-scopes">Extra scopes (optional)</label>
        <input id="cu-scopes" name="scopes" placeholder="analytics:read" />
      </div>
    </FormDialog>
  );
}
