'use client';

import { reissueClaim } from '@/lib/actions/requests';
import { FormError, useAction } from '@/components/ui/use-action';

export function ReissueButton({ requestId }: { requestId: string }) {
  const action = useAction(reissueClaim);
  return (
    <>
      <button className="button button-small" type="button" disabled={action.pending} onClick={() => void action.run(requestId)}>
        Reissue claim
      </button>
      <FormError error={action.error} />
    </>
  );
}
