'use client';

import { useState } from 'react';
import { ENVIRONMENTS, KEY_TYPES, PERMISSION_LEVELS, SUBTYPES, TYPE_HINTS } from '@/lib/key-options';
import { ExpiryStep, LimitsStep, RestrictionsStep, ReviewStep, RotationStep } from './steps-more';
import type { StepProps } from './wizard-props';

const LEVEL_HINTS: Record<string, string> = {
  custom: 'Only the scopes and roles you pick',
  read_only: 'Read everything (*:read)',
  read_write: 'Read, write and delete everything',
  full: 'Everything (*:*) — usually needs approval',
};

function TypeStep({ state, update }: StepProps) {
  return (
    <>
      <fieldset>
        <legend>Who does the key belong to?</legend>
        <div className="choice-grid">
          {KEY_TYPES.map((t) => (
            <label className="choice" key={t}>
              <input type="radio" name="type" value={t} checked={state.type === t} onChange={() => update({ type: t, subtype: SUBTYPES.find((s) => s.type === t)?.value ?? '' })} />
              {t}
              <small>{TYPE_HINTS[t]}</small>
            </label>
          ))}
        </div>
      </fieldset>
      <fieldset style={{ marginTop: '1rem' }}>
        <legend>Subtype</legend>
        <div className="choice-grid">
          {SUBTYPES.filter((s) => s.type === state.type).map((s) => (
            <label className="choice" key={s.value}>
              <input
                type="radio"
                name="subtype"
                value={s.value}
                checked={state.subtype === s.value}
                onChange={() => update({ subtype: s.value, environment: s.value === 'development' ? 'development' : state.environment })}
              />
              {s.value.replace(/_/g, ' ')}
              <small>{s.hint}</small>
            </label>
          ))}
        </div>
      </fieldset>
    </>
  );
}

function EnvironmentStep({ state, update, props }: StepProps) {
  const app = props.applications.find((a) => a.id === state.applicationId);
  const allowed = state.type === 'application' && app ? app.environments : [...ENVIRONMENTS];
  return (
    <div className="form-grid">
      {state.type === 'application' ? (
        <div className="field">
          <label htmlFor="w-app">Application</label>
          <select id="w-app" value={state.applicationId} onChange={(e) => update({ applicationId: e.target.value })} required>
            <option value="">Choose…</option>
            {props.applications.map((a) => (
              <option key={a.id} value={a.id}>
                {a.name}
              </option>
            ))}
          </select>
          {props.applications.length === 0 ? <p className="field-hint">No applications yet: create one under Access → Applications.</p> : null}
        </div>
      ) : null}
      <fieldset>
        <legend>Environment</legend>
        {allowed.map((env) => (
          <label className="checkbox" key={env}>
            <input
              type="radio"
              name="environment"
              value={env}
              checked={state.environment === env}
              onChange={() => update({ environment: env })}
              disabled={state.subtype === 'development' && env !== 'development'}
            />
            {env}
          </label>
        ))}
      </fieldset>
    </div>
  );
}

function PermissionsStep({ state, update, props }: StepProps) {
  const [draft, setDraft] = useState('');
  const [draftError, setDraftError] = useState<string | null>(null);
  const addScope = () => {
    const v = draft.trim();
    if (!/^[\w*-]+:[\w*-]+(:[\w-]+)?$/.test(v)) return setDraftError('A scope looks like resource:action or resource:action:id.');
    if (!state.scopes.includes(v)) update({ scopes: [...state.scopes, v] });
    setDraft('');
    setDraftError(null);
  };
  const resources = props.catalogue?.resources ?? [];
  const actions = props.catalogue?.actions ?? [];
  const toggle = (list: string[], v: string) => (list.includes(v) ? list.filter((x) => x !== v) : [...list, v]);
  return (
    <>
      <fieldset>
        <legend>Permission level</legend>
        <div className="choice-grid">
          {PERMISSION_LEVELS.map((l) => (
            <label className="choice" key={l}>
              <input type="radio" name="level" value={l} checked={state.permissionLevel === l} onChange={() => update({ permissionLevel: l })} />
              {l.replace(/_/g, ' ')}
              <small>{LEVEL_HINTS[l]}</small>
            </label>
          ))}
        </div>
      </fieldset>
      {state.permissionLevel === 'custom' ? (
        <fieldset style={{ marginTop: '1rem' }}>
          <legend>Scopes</legend>
          <p className="field-hint">You can only grant scopes you hold yourself. Yours: {props.myScopes.join(' ') || 'none'}</p>
          <div className="form-row">
            <label htmlFor="w-scope-add">Add scope</label>
            <input id="w-scope-add" list="w-scope-options" placeholder="resource:action" value={draft} onChange={(e) => setDraft(e.target.value)} onKeyDown={(e) => {
              if (e.key !== 'Enter') return;
              e.preventDefault();
              addScope();
            }} aria-describedby="w-scope-hint" />
            <button className="button button-small" type="button" onClick={addScope}>
              Add
            </button>
            <span className="field-hint" id="w-scope-hint" aria-live="polite">{draftError ?? 'Enter or Add; pick from the catalogue list.'}</span>
            <datalist id="w-scope-options">
              {resources.flatMap((r) => actions.map((a) => <option key={`${r}:${a}`} value={`${r}:${a}`} />))}
            </datalist>
          </div>
          <div className="chips" style={{ marginTop: '0.5rem' }}>
            {state.scopes.map((s) => (
              <button type="button" className="chip" key={s} onClick={() => update({ scopes: toggle(state.scopes, s) })} aria-label={`Remove scope ${s}`}>
                {s} ×
              </button>
            ))}
          </div>
        </fieldset>
      ) : null}
      {props.roles.length ? (
      <fieldset style={{ marginTop: '1rem' }}>
        <legend>Roles (optional)</legend>
        <div className="choice-grid">
          {props.roles.map((r) => (
            <label className="checkbox" key={r.id}>
              <input type="checkbox" checked={state.roleIds.includes(r.id)} onChange={() => update({ roleIds: toggle(state.roleIds, r.id) })} />
              {r.name}
            </label>
          ))}
        </div>
      </fieldset>
      ) : null}
    </>
  );
}

export function StepView({ step, ...p }: StepProps & { step: number }) {
  switch (step) {
    case 0: return <TypeStep {...p} />;
    case 1: return <EnvironmentStep {...p} />;
    case 2: return <PermissionsStep {...p} />;
    case 3: return <RestrictionsStep {...p} />;
    case 4: return <LimitsStep {...p} />;
    case 5: return <ExpiryStep {...p} />;
    case 6: return <RotationStep {...p} />;
    default: return <ReviewStep {...p} />;
  }
}
