'use client';

import { useState, type ReactNode } from 'react';
import { Dialog, DialogActions, DialogClose } from './dialog';
import { FormError } from './use-action';

/**
 * What a submit came to: an error message to show (the values stay, so nothing typed is
 * lost), null to close, or a secret to show once in place of the form.
 */
export type SubmitOutcome = string | null | { reveal: ReactNode };

export interface FormDialogProps {
  trigger: ReactNode;
  title: string;
  description?: ReactNode;
  submitLabel: string;
  /** On the submit button while the submit runs. */
  pendingLabel?: string;
  danger?: boolean;
  onSubmit: (form: FormData) => Promise<SubmitOutcome>;
  /** Whenever the dialog closes (Cancel, Escape, done, success): refresh, navigate, reset. */
  onClosed?: () => void;
  /** The fields; none for a plain confirmation. */
  children?: ReactNode;
}

/** A dialog around a form, with the shared footer and pending state. */
export function FormDialog({ trigger, title, description, submitLabel, pendingLabel = 'Saving…', danger, onSubmit, onClosed, children }: FormDialogProps) {
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const [revealed, setRevealed] = useState<{ reveal: ReactNode } | null>(null);

  function change(next: boolean) {
    setOpen(next);
    setError(null);
    if (next) return;
    setRevealed(null);
    onClosed?.();
  }

  return (
    <Dialog open={open} onOpenChange={change} title={title} description={description} trigger={trigger}>
      {revealed ? (
        <>
          {revealed.reveal}
          <div className="dialog-actions">
            <DialogClose asChild>
              <button className="button button-primary" type="button">
                I have stored it — done
              </button>
            </DialogClose>
          </div>
        </>
      ) : (
        <form
          className="form"
          onSubmit={async (e) => {
            e.preventDefault();
            setPending(true);
            const outcome = await onSubmit(new FormData(e.currentTarget)).finally(() => setPending(false));
            if (outcome === null) change(false);
            else if (typeof outcome === 'string') setError(outcome);
            else setRevealed(outcome);
          }}
        >
          {children}
          <FormError error={error} />
          <DialogActions>
            <button className={`button ${danger ? 'button-danger' : 'button-primary'}`} type="submit" disabled={pending}>
              {pending ? pendingLabel : submitLabel}
            </button>
          </DialogActions>
        </form>
      )}
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

type Failure = { ok: false; message: string; fields?: { path: string; message: string }[] };

/** The message a failed ApiResult should show, with field details when the API named them. */
export function failure(r: { ok: true } | Failure): string | null {
  if (r.ok) return null;
  return r.fields?.length ? `${r.message} (${r.fields.map((f) => `${f.path}: ${f.message}`).join('; ')})` : r.message;
}
