'use client';

import { useId } from 'react';
import { revokeKey, suspendKey } from '@/lib/actions/keys';
import { FormDialog, failure, text } from '@/components/ui/form-dialog';

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
  const reasonId = useId();
  const t = TEXT[kind];
  const act = kind === 'revoke' ? revokeKey : suspendKey;

  return (
    <FormDialog
      danger={kind === 'revoke'}
      title={t.title}
      description={t.description}
      submitLabel={t.confirm}
      pendingLabel={t.pending}
      trigger={
        <button className={`button ${kind === 'revoke' ? 'button-danger' : ''}`} type="button">
          {t.trigger}
        </button>
      }
      onSubmit={async (form) => failure(await act(keyId, text(form, 'reason')))}
    >
      <div className="field">
        <label htmlFor={reasonId}>Reason</label>
        <textarea id={reasonId} name="reason" required={kind === 'revoke'} maxLength={500} placeholder="Why, for the audit trail" />
      </div>
    </FormDialog>
  );
}
