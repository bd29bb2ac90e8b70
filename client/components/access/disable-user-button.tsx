'use client';

import { disableUser } from '@/lib/actions/access';
import { FormDialog, failure } from '@/components/ui/form-dialog';

export function DisableUserButton({ userId, name }: { userId: string; name: string }) {
  return (
    <FormDialog
      danger
      title={`Disable ${name}?`}
      description="Every session of theirs ends at once. Their keys keep their own status."
      submitLabel="Disable"
      pendingLabel="Disabling…"
      trigger={<button className="button button-small" type="button">Disable</button>}
      onSubmit={async () => failure(await disableUser(userId))}
    />
  );
}
