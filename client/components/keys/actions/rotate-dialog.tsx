'use client';

import { useRouter } from 'next/navigation';
import { useId, useState } from 'react';
import { rotateKey } from '@/lib/actions/keys';
import { Dialog, DialogClose } from '@/components/ui/dialog';
import { SecretReveal } from '@/components/ui/secret-reveal';
import { FormError, useAction } from '@/components/ui/use-action';
import { formatDuration } from '@/components/ui/format';

const GRACE_CHOICES = [0, 3600, 86_400, 7 * 86_400];

export function RotateDialog({ keyId, defaultGrace }: { keyId: string; defaultGrace: number | null }) {
  const [open, setOpen] = useState(false);
  const [grace, setGrace] = useState<string>('default');
  // One idempotency key per dialog opening: a double click rotates once.
  const [idem, setIdem] = useState(() => crypto.randomUUID());
  const action = useAction(rotateKey);
  const router = useRouter();
  const graceId = useId();
  const result = action.data?.rotateApiKey;

  function close(next: boolean) {
    setOpen(next);
    if (!next) {
      if (result) router.push(`/keys/${result.apiKey.id}`);
      else router.refresh();
      action.reset();
      setIdem(crypto.randomUUID());
    }
  }

  return (
    <Dialog
      open={open}
      onOpenChange={close}
      title="Rotate key"
      description="A successor with the same configuration is issued now. The old key keeps working during the grace period, then it is revoked."
      trigger={<button className="button" type="button">Rotate</button>}
    >
      {result?.secret ? (
        <>
          <SecretReveal secret={result.secret} title="Successor key" notice={result.notice} />
          <p className="muted">The old key is now {result.previous.status}.</p>
          <div className="dialog-actions">
            <DialogClose asChild>
              <button className="button button-primary" type="button">
                I have stored it — done
              </button>
            </DialogClose>
          </div>
        </>
      ) : (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void action.run(keyId, grace === 'default' ? null : Number(grace), idem);
          }}
        >
          <div className="field">
            <label htmlFor={graceId}>Grace period for the old key</label>
            <select id={graceId} value={grace} onChange={(e) => setGrace(e.target.value)}>
              <option value="default">Key or organization default{defaultGrace !== null ? ` (${formatDuration(defaultGrace)})` : ''}</option>
              {GRACE_CHOICES.map((s) => (
                <option key={s} value={s}>
                  {s === 0 ? 'None — revoke the old key at once' : formatDuration(s)}
                </option>
              ))}
            </select>
          </div>
          <FormError error={action.error} />
          <div className="dialog-actions">
            <DialogClose asChild>
              <button className="button" type="button">
                Cancel
              </button>
            </DialogClose>
            <button className="button button-primary" type="submit" disabled={action.pending}>
              {action.pending ? 'Rotating…' : 'Rotate key'}
            </button>
          </div>
        </form>
      )}
    </Dialog>
  );
}
