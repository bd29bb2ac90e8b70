'use client';

import { useId, useState } from 'react';
import { renewKey } from '@/lib/actions/keys';
import { Dialog, DialogClose } from '@/components/ui/dialog';
import { FormError, useAction } from '@/components/ui/use-action';

function inDays(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

export function RenewDialog({ keyId, expiresAt }: { keyId: string; expiresAt: string | null }) {
  const [open, setOpen] = useState(false);
  const [date, setDate] = useState(() => inDays(30));
  const action = useAction(renewKey);
  const dateId = useId();
  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (!next) action.reset();
      }}
      title="Renew key"
      description={`Sets a new expiry (currently ${expiresAt ? expiresAt.slice(0, 10) : 'none'}), within the maximum lifetime counted from today. An expired key becomes active again.`}
      trigger={<button className="button" type="button">Renew</button>}
    >
      <form
        onSubmit={async (e) => {
          e.preventDefault();
          // End of the chosen day, UTC: "valid until the 30th" includes the 30th.
          if (await action.run(keyId, new Date(`${date}T23:59:59Z`).toISOString())) setOpen(false);
        }}
      >
        <div className="field">
          <label htmlFor={dateId}>New expiry date (UTC)</label>
          <input id={dateId} type="date" value={date} min={inDays(0)} onChange={(e) => setDate(e.target.value)} required />
        </div>
        <FormError error={action.error} />
        <div className="dialog-actions">
          <DialogClose asChild>
            <button className="button" type="button">
              Cancel
            </button>
          </DialogClose>
          <button className="button button-primary" type="submit" disabled={action.pending}>
            {action.pending ? 'Renewing…' : 'Renew'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
