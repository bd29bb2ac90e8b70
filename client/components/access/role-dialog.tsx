'use client';

import { createRole, updateRole } from '@/lib/actions/access';
import { FormDialog, failure, list, text } from '@/components/ui/form-dialog';

interface Role {
  id: string;
  name: string;
  description: string;
  scopes: readonly string[];
}

/** Create a role, or edit one (every holder gets the new scopes on their next request). */
export function RoleDialog({ role, catalogue }: { role?: Role; catalogue: { resources: readonly string[]; actions: readonly string[] } }) {
  const id = role?.id ?? 'new';
  return (
    <FormDialog
      title={role ? `Edit role ${role.name}` : 'New role'}
      description="Scopes are resource:action[:id] from the catalogue. You can only grant scopes you hold; edits apply to every holder at once."
      submitLabel={role ? 'Save role' : 'Create role'}
      trigger={<button className={`button ${role ? 'button-small' : 'button-primary'}`} type="button">{role ? 'Edit' : 'New role'}</button>}
      onSubmit={async (form) => {
        const input = { name: text(form, 'name'), description: text(form, 'description'), scopes: list(form, 'scopes') };
        return failure(role ? await updateRole(role.id, input) : await createRole(input));
      }}
    >
      <div className="field">
        <label htmlFor={`role-name-${id}`}>Name</label>
        <input id={`role-name-${id}`} name="name" defaultValue={role?.name} required />
      </div>
      <div className="field">
        <label htmlFor={`role-description-${id}`}>Description</label>
        <input id={`role-description-${id}`} name="description" defaultValue={role?.description} />
      </div>
      <div className="field">
        <label htmlFor={`role-scopes-${id}`}>Scopes</label>
        <textarea id={`role-scopes-${id}`} name="scopes" className="mono" defaultValue={role?.scopes.join('\n')} required aria-describedby={`role-scopes-hint-${id}`} />
        <p className="field-hint" id={`role-scopes-hint-${id}`}>
          One per line. Resources: {catalogue.resources.join(', ')}. Actions: {catalogue.actions.join(', ')}.
        </p>
      </div>
    </FormDialog>
  );
}
