'use client';

import type { KeyRateLimitInput } from '@/gql/graphql';
import { updateKey } from '@/lib/actions/keys';
import { FormDialog, failure, text } from '@/components/ui/form-dialog';

const WINDOWS = [
  ['perSecond', 'Per second'],
  ['perMinute', 'Per minute'],
  ['perHour', 'Per hour'],
  ['perDay', 'Per day'],
] as const;

const asText = (v: number | null | undefined) => (v == null ? '' : String(v));
const asLimit = (v: string) => (v.trim() === '' ? null : Math.max(0, Math.floor(Number(v))));

export interface EditDialogProps {
  keyId: string;
  name: string;
  description: string;
  tags: readonly string[];
  /** The key's whole limits section: an edit must send it back whole (sections replace). */
  rateLimit: KeyRateLimitInput;
}

/**
 * Name, description, tags and request-rate limits. Widening permissions needs a new key
 * or request, so they are not editable here.
 */
export function EditDialog({ keyId, name, description, tags, rateLimit }: EditDialogProps) {
  async function submit(form: FormData) {
    const input = {
      name: text(form, 'name'),
      description: text(form, 'description'),
      // Commas only: a tag may contain spaces.
      tags: text(form, 'tags').split(',').map((t) => t.trim()).filter(Boolean),
    };
    const typed = WINDOWS.map(([w]) => [w, String(form.get(`limit-${w}`) ?? '')] as const);
    const changed = typed.some(([w, v]) => v !== asText(rateLimit[w]));
    // The limits section replaces the stored one: send it whole (burst, credits… kept).
    const limits = changed ? { rateLimit: { ...rateLimit, ...Object.fromEntries(typed.map(([w, v]) => [w, asLimit(v)])) } } : {};
    return failure(await updateKey(keyId, { ...input, ...limits }));
  }

  return (
    <FormDialog
      title="Edit key"
      description="Type, subtype, environment, owner and the key value never change."
      submitLabel="Save"
      trigger={<button className="button" type="button">Edit</button>}
      onSubmit={submit}
    >
      <div className="field">
        <label htmlFor="edit-name">Name</label>
        <input id="edit-name" name="name" defaultValue={name} maxLength={100} required />
      </div>
      <div className="field">
        <label htmlFor="edit-description">Description</label>
        <textarea id="edit-description" name="description" defaultValue={description} />
      </div>
      <div className="field">
        <label htmlFor="edit-tags">Tags</label>
        <input id="edit-tags" name="tags" defaultValue={tags.join(', ')} aria-describedby="edit-tags-hint" />
        <p className="field-hint" id="edit-tags-hint">
          Comma-separated
        </p>
      </div>
      <fieldset>
        <legend>Rate limits (empty = none)</legend>
        <div className="form-grid">
          {WINDOWS.map(([w, label]) => (
            <div className="field" key={w}>
              <label htmlFor={`edit-${w}`}>{label}</label>
              <input id={`edit-${w}`} name={`limit-${w}`} type="number" min={0} defaultValue={asText(rateLimit[w])} />
            </div>
          ))}
        </div>
      </fieldset>
    </FormDialog>
  );
}
