'use client';

import { createApplication } from '@/lib/actions/access';
import { FormDialog, failure, text } from '@/components/ui/form-dialog';
import { ENVIRONMENTS } from '@/lib/key-options';

export function CreateApplicationDialog() {
  return (
    <FormDialog
      title="New application"
      description="Application keys belong to an application; you own it unless you say otherwise."
      submitLabel="Create application"
      trigger={<button className="button button-primary" type="button">New application</button>}
      onSubmit={async (form) =>
        failure(await createApplication({ name: text(form, 'name'), description: text(form, 'description') || undefined, environments: form.getAll('environments').map(String) }))
      }
    >
      <div className="field">
        <label htmlFor="ca-name">Name</label>
        <input id="ca-name" name="name" required maxLength={100} />
      </div>
      <div className="field">
        <label htmlFor="ca-description">Description</label>
        <input id="ca-description" name="description" />
      </div>
      <fieldset>
        <legend>Environments</legend>
        {ENVIRONMENTS.map((e) => (
          <label className="checkbox" key={e}>
            <input type="checkbox" name="environments" value={e} defaultChecked />
            {e}
          </label>
        ))}
      </fieldset>
    </FormDialog>
  );
}
