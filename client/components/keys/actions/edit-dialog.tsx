'use client';

import { useState } from 'react';
import { updateKey } from '@/lib/actions/keys';
import { Dialog, DialogClose } from '@/components/ui/dialog';
import { FormError, useAction } from '@/components/ui/use-action';
import type { KeyActionsProps } from '../key-actions';

/** Name, description and tags; permissions and limits need a new key or request when they widen. */
export function EditDialog({ keyId, name, description, tags }: KeyActionsProps) {
  const [open, setOpen] = useState(false);
  const [form, setForm] = useState({ name, description, tags: tags.join(', ') });
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
