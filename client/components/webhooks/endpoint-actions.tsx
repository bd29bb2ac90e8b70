'use client';

import { useId, useState } from 'react';
import { deleteWebhook, replayDelivery, rotateWebhookSecret, sendTestWebhook } from '@/lib/actions/webhooks';
import { Dialog, DialogClose } from '@/components/ui/dialog';
import { SecretReveal } from '@/components/ui/secret-reveal';
import { FormDialog, failure } from '@/components/ui/form-dialog';
import { FormError, useAction } from '@/components/ui/use-action';

function RotateSecret({ id }: { id: string }) {
  const [open, setOpen] = useState(false);
  const [hours, setHours] = useState('24');
  const rotate = useAction(rotateWebhookSecret);
  const overlapId = useId();
  const secret = rotate.data?.rotateWebhookSecret.secret;
  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (!next) rotate.reset();
      }}
      title="Rotate signing secret"
      description="Deliveries carry signatures with both secrets during the overlap, so receivers can switch without dropping events."
      trigger={<button className="button button-small" type="button">Rotate secret</button>}
    >
      {secret ? (
        <>
          <SecretReveal secret={secret} title="New signing secret" />
          <div className="dialog-actions">
            <DialogClose asChild>
              <button className="button button-primary" type="button">I have stored it — done</button>
            </DialogClose>
          </div>
        </>
      ) : (
        <form onSubmit={(e) => { e.preventDefault(); void rotate.run(id, Math.round(Number(hours) * 3600)); }}>
          <div className="field">
            <label htmlFor={overlapId}>Overlap (hours)</label>
            <input id={overlapId} type="number" min={0} max={720} value={hours} onChange={(e) => setHours(e.target.value)} />
          </div>
          <FormError error={rotate.error} />
          <div className="dialog-actions">
            <DialogClose asChild>
              <button className="button" type="button">Cancel</button>
            </DialogClose>
            <button className="button button-primary" type="submit" disabled={rotate.pending}>Rotate</button>
          </div>
        </form>
      )}
    </Dialog>
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
        trigger={<button className="button button-small" type="button">Delete</button>}
        onSubmit={async () => failure(await deleteWebhook(id))}
      >
        <span />
      </FormDialog>
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
