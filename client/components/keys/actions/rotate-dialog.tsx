'use client';

import { useRouter } from 'next/navigation';
import { useId, useRef } from 'react';
import { rotateKey } from '@/lib/actions/keys';
import { SecretReveal } from '@/components/ui/secret-reveal';
import { FormDialog, failure, text } from '@/components/ui/form-dialog';
import { formatDuration } from '@/components/ui/format';

const GRACE_CHOICES = [0, 3600, 86_400, 7 * 86_400];

export function RotateDialog({ keyId, defaultGrace }: { keyId: string; defaultGrace: number | null }) {
  // One idempotency key per dialog opening: a double click rotates once.
  const idem = useRef<string | null>(null);
  const successor = useRef<string | null>(null);
  const router = useRouter();
  const graceId = useId();

  async function submit(form: FormData) {
    const grace = text(form, 'grace');
    idem.current ??= crypto.randomUUID();
    const r = await rotateKey(keyId, grace === 'default' ? null : Number(grace), idem.current);
    if (!r.ok) return failure(r);
    const result = r.data.rotateApiKey;
    successor.current = result.apiKey.id;
    if (!result.secret) return null;
    return {
      reveal: (
        <>
          <SecretReveal secret={result.secret} title="Successor key" notice={result.notice} />
          <p className="muted">The old key is now {result.previous.status}.</p>
        </>
      ),
    };
  }

  function closed() {
    if (successor.current) router.push(`/keys/${successor.current}`);
    else router.refresh();
    successor.current = null;
    idem.current = null;
  }

  return (
    <FormDialog
      title="Rotate key"
      description="A successor with the same configuration is issued now. The old key keeps working during the grace period, then it is revoked."
      submitLabel="Rotate key"
      pendingLabel="Rotating…"
      trigger={<button className="button" type="button">Rotate</button>}
      onSubmit={submit}
      onClosed={closed}
    >
      <div className="field">
        <label htmlFor={graceId}>Grace period for the old key</label>
        <select id={graceId} name="grace" defaultValue="default">
          <option value="default">Key or organization default{defaultGrace !== null ? ` (${formatDuration(defaultGrace)})` : ''}</option>
          {GRACE_CHOICES.map((s) => (
            <option key={s} value={s}>
              {s === 0 ? 'None — revoke the old key at once' : formatDuration(s)}
            </option>
          ))}
        </select>
      </div>
    </FormDialog>
  );
}
