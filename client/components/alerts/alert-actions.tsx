'use client';

import { acknowledgeAlert, resolveAlert } from '@/lib/actions/alerts';
import { FormError, useAction } from '@/components/ui/use-action';

export function AlertActions({ id, status }: { id: string; status: string }) {
  const ack = useAction(acknowledgeAlert);
  const resolve = useAction(resolveAlert);
  return (
    <div className="form-row" style={{ marginTop: "0.4rem" }}>
      {status === 'OPEN' ? (
        <button className="button button-small" type="button" disabled={ack.pending} onClick={() => void ack.run(id)}>
          Acknowledge
        </button>
      ) : null}
      {status !== 'RESOLVED' ? (
        <button className="button button-small" type="button" disabled={resolve.pending} onClick={() => void resolve.run(id)}>
          Resolve
        </button>
      ) : null}
      <FormError error={ack.error ?? resolve.error} />
    </div>
  );
}
