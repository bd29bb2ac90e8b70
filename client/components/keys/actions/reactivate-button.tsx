'use client';

import { reactivateKey } from '@/lib/actions/keys';
import { FormError, useAction } from '@/components/ui/use-action';

export function ReactivateButton({ keyId }: { keyId: string }) {
  const action = useAction(reactivateKey);
  return (
    <>
      <button className="button button-primary" type="button" disabled={action.pending} onClick={() => void action.run(keyId)}>
        {action.pending ? 'Reactivating…' : 'Reactivate'}
      </button>
      <FormError error={action.error} />
    </>
  );
}
