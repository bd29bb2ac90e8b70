'use client';

import { useRouter } from 'next/navigation';
import { useRef } from 'react';
import { createWebhook, updateWebhook } from '@/lib/actions/webhooks';
import { SecretReveal } from '@/components/ui/secret-reveal';
import { FormDialog, failure, text, type SubmitOutcome } from '@/components/ui/form-dialog';
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
  const created = useRef(false);
  const router = useRouter();
  const id = endpoint?.id ?? 'new';

  async function submit(form: FormData): Promise<SubmitOutcome> {
    const input = { url: text(form, 'url'), description: text(form, 'description'), events: form.getAll('events').map(String) };
    if (endpoint) return failure(await updateWebhook(endpoint.id, { ...input, enabled: form.get('enabled') === 'on' }));
    const r = await createWebhook(input);
    if (!r.ok) return failure(r);
    created.current = true;
    const notice = 'Use it to verify the webhook-signature header.';
    return { reveal: <SecretReveal secret={r.data.createWebhookEndpoint.secret} title="Signing secret" notice={notice} /> };
  }

  return (
    <FormDialog
      title={endpoint ? 'Edit endpoint' : 'New webhook endpoint'}
      description="Events are signed (Standard Webhooks). The URL must be public http(s)."
      submitLabel={endpoint ? 'Save' : 'Create endpoint'}
      trigger={
        <button className={`button ${endpoint ? 'button-small' : 'button-primary'}`} type="button">
          {endpoint ? 'Edit' : 'New endpoint'}
        </button>
      }
      onSubmit={submit}
      onClosed={() => {
        // Creating does not revalidate (the secret must stay on screen): refresh once it is dismissed.
        if (created.current) router.refresh();
        created.current = false;
      }}
    >
      <div className="field">
        <label htmlFor={`wh-url-${id}`}>URL</label>
        <input id={`wh-url-${id}`} name="url" type="url" required defaultValue={endpoint?.url} placeholder="https://hooks.example.com/latchkey" />
      </div>
      <div className="field">
        <label htmlFor={`wh-desc-${id}`}>Description</label>
        <input id={`wh-desc-${id}`} name="description" defaultValue={endpoint?.description} />
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
    </FormDialog>
  );
}
