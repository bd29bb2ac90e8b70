'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { claimKey } from '@/lib/actions/keys';
import { Dialog, DialogClose } from '@/components/ui/dialog';
import { SecretReveal } from '@/components/ui/secret-reveal';
import { FormError, useAction } from '@/components/ui/use-action';

/** Claiming shows the secret exactly once; a second claim is refused by the API. */
export function ClaimButton({ requestId }: { requestId: string }) {
  const [open, setOpen] = useState(false);
  const action = useAction(claimKey);
  const router = useRouter();
  const claimed = action.data?.claimApiKey;

  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        // The list refreshes only once the secret has been dismissed.
        if (!next && claimed) router.refresh();
        if (!next) action.reset();
      }}
      title="Claim key"
      description="The secret is shown once, now. Have somewhere safe to store it."
      trigger={
        <button className="button button-primary button-small" type="button">
          Claim
        </button>
      }
    >
      {claimed?.secret ? (
        <>
          <SecretReveal secret={claimed.secret} notice={claimed.notice} />
          <div className="dialog-actions">
            <DialogClose asChild>
              <button className="button button-primary" type="button">
                I have stored it — done
              </button>
            </DialogClose>
          </div>
        </>
      ) : (
        <>
          <FormError error={action.error} />
          <div className="dialog-actions">
            <DialogClose asChild>
              <button className="button" type="button">
                Cancel
              </button>
            </DialogClose>
            <button className="button button-primary" type="button" disabled={action.pending} onClick={() => void action.run(requestId)}>
              {action.pending ? 'Claiming…' : 'Reveal the key'}
            </button>
          </div>
        </>
      )}
    </Dialog>
  );
}
