'use client';

import { useRouter } from 'next/navigation';
import { useRef } from 'react';
import { claimKey } from '@/lib/actions/keys';
import { SecretReveal } from '@/components/ui/secret-reveal';
import { FormDialog, failure } from '@/components/ui/form-dialog';

/** Claiming shows the secret exactly once; a second claim is refused by the API. */
export function ClaimButton({ requestId }: { requestId: string }) {
  const claimed = useRef(false);
  const router = useRouter();

  async function claim() {
    const r = await claimKey(requestId);
    if (!r.ok) return failure(r);
    claimed.current = true;
    const { secret, notice } = r.data.claimApiKey;
    return secret ? { reveal: <SecretReveal secret={secret} notice={notice} /> } : null;
  }

  return (
    <FormDialog
      title="Claim key"
      description="The secret is shown once, now. Have somewhere safe to store it."
      submitLabel="Reveal the key"
      pendingLabel="Claiming…"
      trigger={
        <button className="button button-primary button-small" type="button">
          Claim
        </button>
      }
      onSubmit={claim}
      onClosed={() => {
        // The list refreshes only once the secret has been dismissed.
        if (claimed.current) router.refresh();
        claimed.current = false;
      }}
    />
  );
}
