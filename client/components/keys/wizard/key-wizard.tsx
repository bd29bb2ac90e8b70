'use client';

import Link from 'next/link';
import { useState } from 'react';
import { approvalsNeeded } from '@/lib/approvals';
import { claimKey, createKey, requestKey } from '@/lib/actions/keys';
import { SecretReveal } from '@/components/ui/secret-reveal';
import { FormError } from '@/components/ui/use-action';
import { INITIAL, STEPS, stepProblem, toInput, type WizardState } from './model';
import { StepView } from './steps';
import type { WizardProps } from './wizard-props';

type Outcome = { kind: 'secret'; secret: string; keyId: string; notice: string | null } | { kind: 'requested'; requestId: string; approvals: number };

export function KeyWizard(props: WizardProps) {
  const [step, setStep] = useState(0);
  const [state, setState] = useState<WizardState>({ ...INITIAL, applicationId: props.applications[0]?.id ?? '' });
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  // Stable for this wizard run: a double submit yields the first key, not a second one.
  const [idem] = useState(() => crypto.randomUUID());

  const update = (patch: Partial<WizardState>) => setState((s) => ({ ...s, ...patch }));
  const shape = { type: state.type, subtype: state.subtype, level: state.permissionLevel, scopes: state.scopes };
  const approval = props.policy ? approvalsNeeded(props.policy.approvalRules, shape) : null;
  const viaRequest = !props.canWrite || (approval?.count ?? 0) > 0;
  const problem = stepProblem(step, state);

  async function submit() {
    setPending(true);
    setError(null);
    const input = toInput(state);
    try {
      if (!viaRequest) {
        const r = await createKey(input, idem);
        if (!r.ok) return setError(r.message);
        const p = r.data.createApiKey;
        if (p.secret) setOutcome({ kind: 'secret', secret: p.secret, keyId: p.apiKey.id, notice: p.notice });
        return;
      }
      const r = await requestKey({ ...input, justification: state.justification.trim() || undefined }, idem);
      if (!r.ok) return setError(r.message);
      const req = r.data.requestApiKey;
      if (req.status === 'approved') {
        // No approval needed: claim at once so the person sees the key now.
        const c = await claimKey(req.id);
        if (c.ok && c.data.claimApiKey.secret) {
          return setOutcome({ kind: 'secret', secret: c.data.claimApiKey.secret, keyId: c.data.claimApiKey.apiKey.id, notice: c.data.claimApiKey.notice });
        }
      }
      setOutcome({ kind: 'requested', requestId: req.id, approvals: req.approvalsRequired });
    } finally {
      setPending(false);
    }
  }

  if (outcome?.kind === 'secret') {
    return (
      <div className="panel">
        <SecretReveal secret={outcome.secret} notice={outcome.notice} />
        <Link className="button button-primary" href={`/keys/${outcome.keyId}`}>
          I have stored it — open the key
        </Link>
      </div>
    );
  }
  if (outcome?.kind === 'requested') {
    return (
      <div className="panel" role="status">
        <h2>Request sent</h2>
        <p>
          Your request needs {outcome.approvals} approval{outcome.approvals === 1 ? '' : 's'}. Once approved, claim the key from{' '}
          <Link href="/requests">Requests</Link> within 7 days; the secret is shown once at that moment.
        </p>
      </div>
    );
  }

  return (
    <div className="panel">
      <ol className="wizard-steps" aria-label="Steps">
        {STEPS.map((s, i) => (
          <li key={s} aria-current={i === step ? 'step' : undefined} className={i < step ? 'done' : undefined}>
            {s}
          </li>
        ))}
      </ol>
      <p className="approval-note" aria-live="polite" data-testid="approval-note">
        {approval === null
          ? 'The approval this key needs is decided by the organization policy when you submit.'
          : approval.count === 0
            ? props.canWrite
              ? 'No approval needed: the key is issued at once.'
              : 'No approval needed, but you may only request keys: it is approved at once and you claim it right away.'
            : `Needs ${approval.count} approval${approval.count === 1 ? '' : 's'} (${approval.reasons.join('; ')}): this becomes a request for approvers.`}
      </p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (problem) return;
          if (step < STEPS.length - 1) setStep(step + 1);
          else void submit();
        }}
      >
        <StepView step={step} state={state} update={update} props={props} viaRequest={viaRequest} />
        {problem ? <p className="field-hint" role="note">{problem}</p> : null}
        <FormError error={error} />
        <div className="wizard-nav">
          <button className="button" type="button" disabled={step === 0} onClick={() => setStep(step - 1)}>
            Back
          </button>
          <button className="button button-primary" type="submit" disabled={!!problem || pending}>
            {step < STEPS.length - 1 ? 'Next' : pending ? 'Submitting…' : viaRequest ? 'Submit request' : 'Create key'}
          </button>
        </div>
      </form>
    </div>
  );
}
