'use client';

import { useState } from 'react';
import { checkPermissionAction } from '@/lib/actions/tools';
import { Badge } from '@/components/ui/badge';
import { FormError, useAction } from '@/components/ui/use-action';

/** Key (or user) + resource + action → the policy decision and why. */
export function PermissionChecker({ resources, actions }: { resources: readonly string[]; actions: readonly string[] }) {
  const [q, setQ] = useState({ principalId: '', resource: '', action: '', resourceId: '' });
  const check = useAction(checkPermissionAction);
  const answer = check.data?.checkPermission;

  return (
    <div className="grid-2">
      <section className="panel" aria-labelledby="pc-title">
        <h2 id="pc-title">Ask</h2>
        <form
          className="form"
          onSubmit={(e) => {
            e.preventDefault();
            void check.run(q);
          }}
        >
          <div className="field">
            <label htmlFor="pc-principal">Key or user id</label>
            <input
              id="pc-principal"
              className="mono"
              value={q.principalId}
              onChange={(e) => setQ({ ...q, principalId: e.target.value })}
              placeholder="key_… or usr_… (empty: yourself)"
              aria-describedby="pc-principal-hint"
            />
            <p className="field-hint" id="pc-principal-hint">
              Checking a key needs keys:read; a user needs users:read.
            </p>
          </div>
          <div className="form-grid">
            <div className="field">
              <label htmlFor="pc-resource">Resource</label>
              <input id="pc-resource" list="pc-resources" value={q.resource} onChange={(e) => setQ({ ...q, resource: e.target.value })} required />
              <datalist id="pc-resources">{resources.map((r) => <option key={r} value={r} />)}</datalist>
            </div>
            <div className="field">
              <label htmlFor="pc-action">Action</label>
              <input id="pc-action" list="pc-actions" value={q.action} onChange={(e) => setQ({ ...q, action: e.target.value })} required />
              <datalist id="pc-actions">{actions.map((a) => <option key={a} value={a} />)}</datalist>
            </div>
            <div className="field">
              <label htmlFor="pc-resource-id">Resource id (optional)</label>
              <input id="pc-resource-id" value={q.resourceId} onChange={(e) => setQ({ ...q, resourceId: e.target.value })} />
            </div>
          </div>
          <FormError error={check.error} />
          <div>
            <button className="button button-primary" type="submit" disabled={check.pending}>
              {check.pending ? 'Checking…' : 'Check permission'}
            </button>
          </div>
        </form>
      </section>
      <section className="panel" aria-labelledby="pc-answer" aria-live="polite">
        <h2 id="pc-answer">Decision</h2>
        {answer ? (
          <div data-testid="permission-decision">
            <p className="stat-value">
              <Badge value={answer.allowed ? 'allowed' : 'denied'} label={answer.allowed ? 'Allowed' : 'Denied'} />
            </p>
            <p data-testid="permission-reason">{answer.reason}</p>
            <dl className="props">
              <dt>Checked</dt>
              <dd className="mono">{answer.requirement}</dd>
              <dt>Principal</dt>
              <dd className="mono">{answer.principalId}</dd>
              {answer.matchedScope ? (
                <>
                  <dt>Granted by</dt>
                  <dd className="mono">{answer.matchedScope}</dd>
                </>
              ) : null}
              {answer.missingScope ? (
                <>
                  <dt>Missing</dt>
                  <dd className="mono">{answer.missingScope}</dd>
                </>
              ) : null}
            </dl>
          </div>
        ) : (
          <p className="muted">Pick a principal, a resource and an action, then check.</p>
        )}
      </section>
    </div>
  );
}
