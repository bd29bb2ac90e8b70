'use client';

import { useId, useState } from 'react';
import { revokeKey, suspendKey } from '@/lib/actions/keys';
import { Dialog, DialogClose } from '@/components/ui/dialog';
import { FormError, useAction } from '@/components/ui/use-action';

const TEXT = {
  revoke: {
    trigger: 'Revoke',
    title: 'Revoke key',
    description: 'Revocation is immediate on every node and cannot be undone. Services using this key start failing at once.',
    confirm: 'Revoke key',
    pending: 'Revoking…',
  },
  suspend: {
    trigger: 'Suspend',
    title: 'Suspend key',
    description: 'The key stops working until someone with keys:write reactivates it.',
    confirm: 'Suspend key',
    pending: 'Suspending…',
  },
} as const;

/** Revoke and suspend: both take a reason (kept in the audit trail) and a confirmation. */
export function ReasonDialog({ keyId, kind }: { keyId: string; kind: 'revoke' | 'suspend' }) {
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const action = useAction<[string, string], unknown>(kind === 'revoke' ? revokeKey : suspendKey);
  const reasonId = useId();
  const t = TEXT[kind];

  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (!next) action.reset();
      }}
      title={t.title}
      description={t.description}
      trigger={
        <button className={`button ${kind === 'revoke' ? 'button-danger' : ''}`} type="button">
          {t.trigger}
        </button>
      }
    >
      <form
        onSubmit={async (e) => {
          e.preventDefault();
          if (await action.run(keyId, reason.trim())) setOpen(false);
        }}
      >
        <div className="field">
          <label htmlFor={reasonId}>Reason</label>
          <textarea id={reasonId} value={reason} onChange={(e) => setReason(e.target.value)} required={kind === 'revoke'} maxLength={500} placeholder="Why, for the audit trail" />
        </div>
        <FormError error={action.error} />
        <div className="dialog-actions">
          <DialogClose asChild>
            <button className="button" type="button">
              Cancel
            </button>
          </DialogClose>
          <button className={`button ${kind === 'revoke' ? 'button-danger' : 'button-primary'}`} type="submit" disabled={action.pending}>
            {action.pending ? t.pending : t.confirm}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
