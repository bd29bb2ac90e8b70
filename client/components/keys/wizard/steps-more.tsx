'use client';

import type { StepProps } from './wizard-props';

interface TextProps {
  id: string;
  label: string;
  value: string;
  onChange: (v: string) => void;
  hint?: string;
  type?: string;
  placeholder?: string;
}

function Text({ id, label, value, onChange, hint, type = 'text', placeholder }: TextProps) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type={type}
        value={value}
        placeholder={placeholder}
        onChange={(e) => onChange(e.target.value)}
        aria-describedby={hint ? `${id}-hint` : undefined}
        min={type === 'number' ? 0 : undefined}
      />
      {hint ? (
        <p className="field-hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
    </div>
  );
}

export function RestrictionsStep({ state, update }: StepProps) {
  return (
    <div className="form-grid">
      <Text
        id="w-ips"
        label="IP allow list"
        value={state.ipAllowList}
        onChange={(v) => update({ ipAllowList: v })}
        placeholder="203.0.113.0/24, 2001:db8::1"
        hint="Addresses or CIDRs; empty = any"
      />
      <Text
        id="w-referrers"
        label="Allowed referrers"
        value={state.referrers}
        onChange={(v) => update({ referrers: v })}
        placeholder="https://*.example.com"
        hint={state.subtype === 'web' ? 'Required for web keys' : 'Empty = any'}
      />
      <Text id="w-countries" label="Countries" value={state.countries} onChange={(v) => update({ countries: v })} placeholder="DE, FR" hint="ISO codes; empty = any" />
      <div className="field">
        <label htmlFor="w-mode">When a restriction is broken</label>
        <select id="w-mode" value={state.restrictionMode} onChange={(e) => update({ restrictionMode: e.target.value as 'enforce' | 'report_only' })}>
          <option value="enforce">Refuse the request</option>
          <option value="report_only">Allow, but log and alert</option>
        </select>
      </div>
    </div>
  );
}

export function LimitsStep({ state, update, props }: StepProps) {
  const d = props.policy?.defaultRateLimit;
  const def = (v: number | null | undefined) => (v == null ? 'none' : String(v));
  return (
    <>
      <p className="field-hint">Leave all empty to use the organization default{d ? ` (${def(d.perSecond)}/s, ${def(d.perMinute)}/min)` : ''}.</p>
      <div className="form-grid">
        <Text id="w-ps" type="number" label="Per second" value={state.perSecond} onChange={(v) => update({ perSecond: v })} />
        <Text id="w-pm" type="number" label="Per minute" value={state.perMinute} onChange={(v) => update({ perMinute: v })} />
        <Text id="w-ph" type="number" label="Per hour" value={state.perHour} onChange={(v) => update({ perHour: v })} />
        <Text id="w-pd" type="number" label="Per day" value={state.perDay} onChange={(v) => update({ perDay: v })} />
      </div>
    </>
  );
}

export function ExpiryStep({ state, update, props }: StepProps) {
  const rule = props.policy?.keyLifetimes.find((l) => l.keyType === state.type);
  return (
    <fieldset>
      <legend>Expiry</legend>
      <p className="field-hint">
        {rule ? `Policy for ${state.type} keys: ${rule.maxDays ? `at most ${rule.maxDays} days` : 'no maximum'}${rule.expiryRequired ? ', expiry required' : ''}.` : ''}{' '}
        The subtype may be stricter.
      </p>
      <label className="checkbox">
        <input type="radio" name="expiry" checked={state.expiry === 'default'} onChange={() => update({ expiry: 'default' })} />
        Default lifetime for this subtype and policy
      </label>
      <label className="checkbox">
        <input type="radio" name="expiry" checked={state.expiry === 'date'} onChange={() => update({ expiry: 'date' })} />
        Expires on a date
      </label>
      {state.expiry === 'date' ? <Text id="w-expires" type="date" label="Expiry date (UTC)" value={state.expiresOn} onChange={(v) => update({ expiresOn: v })} /> : null}
    </fieldset>
  );
}

export function RotationStep({ state, update, props }: StepProps) {
  const r = props.policy?.rotation;
  return (
    <fieldset>
      <legend>Rotation policy</legend>
      <label className="checkbox">
        <input type="radio" name="rotation" checked={state.rotation === 'default'} onChange={() => update({ rotation: 'default' })} />
        Organization default{r ? ` (${r.everyDays ? `every ${r.everyDays} days` : 'no scheduled rotation'}, ${Math.round(r.gracePeriodSeconds / 3600)} h grace)` : ''}
      </label>
      <label className="checkbox">
        <input type="radio" name="rotation" checked={state.rotation === 'custom'} onChange={() => update({ rotation: 'custom' })} />
        Custom schedule
      </label>
      {state.rotation === 'custom' ? (
        <div className="form-grid">
          <Text id="w-rot-days" type="number" label="Rotate every (days)" value={state.rotateEveryDays} onChange={(v) => update({ rotateEveryDays: v })} />
          <Text id="w-rot-grace" type="number" label="Grace period (hours)" value={state.rotateGraceHours} onChange={(v) => update({ rotateGraceHours: v })} />
        </div>
      ) : null}
    </fieldset>
  );
}

export function ReviewStep({ state, update, viaRequest }: StepProps) {
  return (
    <div className="form-grid">
      <Text id="w-name" label="Key name" value={state.name} onChange={(v) => update({ name: v })} placeholder="billing-service production" />
      <Text id="w-tags" label="Tags" value={state.tags} onChange={(v) => update({ tags: v })} hint="Comma-separated" />
      <div className="field">
        <label htmlFor="w-description">Description</label>
        <textarea id="w-description" value={state.description} onChange={(e) => update({ description: e.target.value })} />
      </div>
      {viaRequest ? (
        <div className="field">
          <label htmlFor="w-justification">Justification for approvers</label>
          <textarea
            id="w-justification"
            value={state.justification}
            onChange={(e) => update({ justification: e.target.value })}
            placeholder="What it is for and why these permissions"
          />
        </div>
      ) : null}
      <dl className="props" style={{ gridColumn: '1 / -1' }}>
        <dt>Key</dt>
        <dd>{state.type} · {state.subtype.replace(/_/g, ' ')} · {state.environment}</dd>
        <dt>Permissions</dt>
        <dd>
          {state.permissionLevel === 'custom' ? state.scopes.join(' ') || '(roles only)' : state.permissionLevel}
          {state.roleIds.length ? ` + ${state.roleIds.length} role(s)` : ''}
        </dd>
        <dt>Expiry</dt>
        <dd>{state.expiry === 'date' ? state.expiresOn : 'default'}</dd>
      </dl>
    </div>
  );
}
