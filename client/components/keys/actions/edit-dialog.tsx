'use client';

import { useState } from 'react';
import { updateKey } from '@/lib/actions/keys';
import { Dialog, DialogClose } from '@/components/ui/dialog';
import { FormError, useAction } from '@/components/ui/use-action';
import type { KeyRateLimitInput } from '@/gql/graphql';

const WINDOWS = [
  ['perSecond', 'Per second'],
  ['perMinute', 'Per minute'],
  ['perHour', 'Per hour'],
  ['perDay', 'Per day'],
] as const;
type Window = (typeof WINDOWS)[number][0];

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
  const [open, setOpen] = useState(false);
  const initialLimits = Object.fromEntries(WINDOWS.map(([w]) => [w, asText(rateLimit[w])])) as Record<Window, string>;
  const [form, setForm] = useState({ name, description, tags: tags.join(', '), limits: initialLimits });
  const action = useAction(updateKey);
  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (!next) action.reset();
      }}
      title="Edit key"
      description="Type, subtype, environment, owner and the key value never change."
      trigger={<button className="button" type="button">Edit</button>}
    >
      <form
        className="form"
        onSubmit={async (e) => {
          e.preventDefault();
          const input = {
            name: form.name.trim(),
            description: form.description.trim(),
            tags: form.tags.split(',').map((t) => t.trim()).filter(Boolean),
          };
          const changed = WINDOWS.some(([w]) => form.limits[w] !== initialLimits[w]);
          // The limits section replaces the stored one: send it whole (burst, credits… kept).
          const limits = changed ? { rateLimit: { ...rateLimit, ...Object.fromEntries(WINDOWS.map(([w]) => [w, asLimit(form.limits[w])])) } } : {};
          Object.assign(input, limits);
          if (await action.run(keyId, input)) setOpen(false);
        }}
      >
        <div className="field">
          <label htmlFor="edit-name">Name</label>
          <input id="edit-name" value={form.name} maxLength={100} required onChange={(e) => setForm({ ...form, name: e.target.value })} />
        </div>
        <div className="field">
          <label htmlFor="edit-description">Description</label>
          <textarea id="edit-description" value={form.description} onChange={(e) => setForm({ ...form, description: e.target.value })} />
        </div>
        <div className="field">
          <label htmlFor="edit-tags">Tags</label>
          <input id="edit-tags" value={form.tags} onChange={(e) => setForm({ ...form, tags: e.target.value })} aria-describedby="edit-tags-hint" />
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
                <input id={`edit-${w}`} type="number" min={0} value={form.limits[w]} onChange={(e) => setForm({ ...form, limits: { ...form.limits, [w]: e.target.value } })} />
              </div>
            ))}
          </div>
        </fieldset>
        <FormError error={action.error} />
        <div className="dialog-actions">
          <DialogClose asChild>
            <button className="button" type="button">
              Cancel
            </button>
          </DialogClose>
          <button className="button button-primary" type="submit" disabled={action.pending}>
            {action.pending ? 'Saving…' : 'Save'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
