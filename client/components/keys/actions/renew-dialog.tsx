'use client';

import { useId } from 'react';
import { renewKey } from '@/lib/actions/keys';
import { FormDialog, failure, text } from '@/components/ui/form-dialog';

function inDays(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

/** End of the chosen day, UTC: "valid until the 30th" includes the 30th. */
function endOfDay(date: string): string {
  return new Date(`${date}T23:59:59Z`).toISOString();
}

export function RenewDialog({ keyId, expiresAt }: { keyId: string; expiresAt: string | null }) {
  const dateId = useId();
  const current = expiresAt ? expiresAt.slice(0, 10) : 'none';
  return (
    <FormDialog
      title="Renew key"
      description={`Sets a new expiry (currently ${current}), within the maximum lifetime counted from today. An expired key becomes active again.`}
      submitLabel="Renew"
      pendingLabel="Renewing…"
      trigger={<button className="button" type="button">Renew</button>}
      onSubmit={async (form) => failure(await renewKey(keyId, endOfDay(text(form, 'date'))))}
    >
      <div className="field">
        <label htmlFor={dateId}>New expiry date (UTC)</label>
        <input id={dateId} name="date" type="date" defaultValue={inDays(30)} min={inDays(0)} required />
      </div>
    </FormDialog>
  );
}
