'use client';

import { useId } from 'react';
import { deleteWebhook, replayDelivery, rotateWebhookSecret, sendTestWebhook } from '@/lib/actions/webhooks';
import { SecretReveal } from '@/components/ui/secret-reveal';
import { FormDialog, failure, text } from '@/components/ui/form-dialog';
import { FormError, useAction } from '@/components/ui/use-action';

function RotateSecret({ id }: { id: string }) {
  const overlapId = useId();
  async function rotate(form: FormData) {
    const r = await rotateWebhookSecret(id, Math.round(Number(text(form, 'hours')) * 3600));
    if (!r.ok) return failure(r);
    return { reveal: <SecretReveal secret={r.data.rotateWebhookSecret.secret} title="New signing secret" /> };
  }
  return (
    <FormDialog
      title="Rotate signing secret"
      description="Deliveries carry signatures with both secrets during the overlap, so receivers can switch without dropping events."
      submitLabel="Rotate"
      pendingLabel="Rotating…"
      trigger={<button className="button button-small" type="button">Rotate secret</button>}
      onSubmit={rotate}
    >
      <div className="field">
        <label htmlFor={overlapId}>Overlap (hours)</label>
        <input id={overlapId} name="hours" type="number" min={0} max={720} defaultValue="24" />
      </div>
    </FormDialog>
  );
}

export function EndpointActions({ id, url }: { id: string; url: string }) {
  const test = useAction(sendTestWebhook);
  return (
    <div className="form-row">
      <button className="button button-small" type="button" disabled={test.pending} onClick={() => void test.run(id)}>
        {test.pending ? 'Sending…' : 'Send test'}
      </button>
      <RotateSecret id={id} />
      <FormDialog
        danger
        title="Delete endpoint?"
        description={`${url} stops receiving events; its queued deliveries are cancelled.`}
        submitLabel="Delete"
        pendingLabel="Deleting…"
        trigger={<button className="button button-small" type="button">Delete</button>}
        onSubmit={async () => failure(await deleteWebhook(id))}
      />
      {test.data ? <span className="muted" role="status">Test queued</span> : null}
      <FormError error={test.error} />
    </div>
  );
}

export function ReplayButton({ id }: { id: string }) {
  const replay = useAction(replayDelivery);
  return (
    <>
      <button className="button button-small" type="button" disabled={replay.pending} onClick={() => void replay.run(id)}>
        Replay
      </button>
      <FormError error={replay.error} />
    </>
  );
}
