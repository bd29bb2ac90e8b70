'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { createWebhook, updateWebhook } from '@/lib/actions/webhooks';
import { Dialog, DialogClose } from '@/components/ui/dialog';
import { SecretReveal } from '@/components/ui/secret-reveal';
import { FormError } from '@/components/ui/use-action';
import { failure, text } from '@/components/ui/form-dialog';
import { WEBHOOK_EVENT_TYPES } from './events';

interface Endpoint {
  id: string;
  url: string;
  description: string;
  events: readonly string[];
  enabled: boolean;
}

/** Register an endpoint (its signing secret is shown once) or edit one. */
export function EndpointDialog({ endpoint }: { endpoint?: Endpoint }) {
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [secret, setSecret] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const router = useRouter();

  async function submit(form: FormData) {
    const input = { url: text(form, 'url'), description: text(form, 'description'), events: form.getAll('events').map(String) };
    setPending(true);
    try {
      if (endpoint) {
        const r = await updateWebhook(endpoint.id, { ...input, enabled: form.get('enabled') === 'on' });
        setError(failure(r));
        if (r.ok) setOpen(false);
      } else {
        const r = await createWebhook(input);
        setError(failure(r));
        if (r.ok) setSecret(r.data.createWebhookEndpoint.secret);
      }
    } finally {
      setPending(false);
    }
  }

  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        setError(null);
        if (!next && secret) {
          setSecret(null);
          router.refresh();
        }
      }}
      title={endpoint ? 'Edit endpoint' : 'New webhook endpoint'}
      description="Events are signed (Standard Webhooks). The URL must be public http(s)."
      trigger={<button className={`button ${endpoint ? 'button-small' : 'button-primary'}`} type="button">{endpoint ? 'Edit' : 'New endpoint'}</button>}
    >
      {secret ? (
        <>
          <SecretReveal secret={secret} title="Signing secret" notice="Use it to verify the webhook-signature header." />
          <div className="dialog-actions">
            <DialogClose asChild>
              <button className="button button-primary" type="button">I have stored it — done</button>
            </DialogClose>
          </div>
        </>
      ) : (
        <form className="form" onSubmit={(e) => { e.preventDefault(); void submit(new FormData(e.currentTarget)); }}>
          <div className="field">
            <label htmlFor={`wh-url-${endpoint?.id ?? 'new'}`}>URL</label>
            <input id={`wh-url-${endpoint?.id ?? 'new'}`} name="url" type="url" required defaultValue={endpoint?.url} placeholder="https://hooks.example.com/latchkey" />
          </div>
          <div className="field">
            <label htmlFor={`wh-desc-${endpoint?.id ?? 'new'}`}>Description</label>
            <input id={`wh-desc-${endpoint?.id ?? 'new'}`} name="description" defaultValue={endpoint?.description} />
          </div>
          <fieldset>
            <legend>Events (none checked = every event)</legend>
            <div className="choice-grid">
              {WEBHOOK_EVENT_TYPES.map((ev) => (
                <label className="checkbox" key={ev}>
                  <input type="checkbox" name="events" value={ev} defaultChecked={endpoint?.events.includes(ev)} />
                  <span className="mono">{ev}</span>
                </label>
              ))}
            </div>
          </fieldset>
          {endpoint ? (
            <label className="checkbox">
              <input type="checkbox" name="enabled" defaultChecked={endpoint.enabled} />
              Enabled (deliveries resume and the disabled reason clears)
            </label>
          ) : null}
          <FormError error={error} />
          <div className="dialog-actions">
            <DialogClose asChild>
              <button className="button" type="button">Cancel</button>
            </DialogClose>
            <button className="button button-primary" type="submit" disabled={pending}>{pending ? 'Saving…' : endpoint ? 'Save' : 'Create endpoint'}</button>
          </div>
        </form>
      )}
    </Dialog>
  );
}
