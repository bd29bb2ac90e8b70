'use client';

import { useState, type ReactNode } from 'react';
import { Dialog, DialogClose } from './dialog';
import { FormError } from './use-action';

/**
 * A dialog around a form whose submit returns an error message or null. Closes on
 * success; keeps the values on failure so nothing typed is lost.
 */
export function FormDialog({ trigger, title, description, submitLabel, onSubmit, children, danger }: { trigger: ReactNode; title: string; description?: ReactNode; submitLabel: string; onSubmit: (form: FormData) => Promise<string | null>; children: ReactNode; danger?: boolean }) {
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        setError(null);
      }}
      title={title}
      description={description}
      trigger={trigger}
    >
      <form
        className="form"
        onSubmit={async (e) => {
          e.preventDefault();
          setPending(true);
          const message = await onSubmit(new FormData(e.currentTarget)).finally(() => setPending(false));
          setError(message);
          if (!message) setOpen(false);
        }}
      >
        {children}
        <FormError error={error} />
        <div className="dialog-actions">
          <DialogClose asChild>
            <button className="button" type="button">
              Cancel
            </button>
          </DialogClose>
          <button className={`button ${danger ? 'button-danger' : 'button-primary'}`} type="submit" disabled={pending}>
            {pending ? 'Saving…' : submitLabel}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

export function text(form: FormData, name: string): string {
  const v = form.get(name);
  return typeof v === 'string' ? v.trim() : '';
}

export function list(form: FormData, name: string): string[] {
  return text(form, name).split(/[\s,]+/).filter(Boolean);
}

/** The message a failed ApiResult should show, with field details when the API named them. */
export function failure(r: { ok: true } | { ok: false; message: string; fields?: { path: string; message: string }[] }): string | null {
  if (r.ok) return null;
  return r.fields?.length ? `${r.message} (${r.fields.map((f) => `${f.path}: ${f.message}`).join('; ')})` : r.message;
}
