'use client';

import { useState, type Dispatch, type SetStateAction } from 'react';
import type { PolicyQuery } from '@/gql/graphql';
import { updatePolicy } from '@/lib/actions/access';
import { ALL_SUBTYPES, KEY_TYPES, PERMISSION_LEVELS } from '@/lib/key-options';
import { FormError, useAction } from '@/components/ui/use-action';
import { Panel } from '@/components/ui/page-header';
import { LimitsSection, type LimitsValue } from './policy-sections';

type Policy = PolicyQuery['organization']['policy'];
type Rule = { keyType: string; subtype: string; level: string; approvals: number };

const opt = (v: string) => (v === '' ? null : v);

function Choice({ label, value, options, onChange }: { label: string; value: string; options: readonly string[]; onChange: (v: string) => void }) {
  return (
    <select aria-label={label} value={value} onChange={(e) => onChange(e.target.value)}>
      <option value="">any</option>
      {options.map((o) => (
        <option key={o} value={o}>
          {o.replace(/_/g, ' ')}
        </option>
      ))}
    </select>
  );
}

const asRule = (r: Policy['approvalRules'][number]): Rule => ({ keyType: r.keyType ?? '', subtype: r.subtype ?? '', level: r.level ?? '', approvals: r.approvals });

/** The form's values as the update: every section sent whole (sections replace). */
function toInput(rules: Rule[], limits: LimitsValue) {
  const { rate, adaptive } = limits;
  return {
    approvalRules: rules.map((r) => ({ keyType: opt(r.keyType), subtype: opt(r.subtype), level: opt(r.level), approvals: r.approvals })),
    keyLifetimes: limits.lifetimes.map((l) => ({ keyType: l.keyType, maxDays: l.maxDays ?? null, expiryRequired: l.expiryRequired })),
    defaultRateLimit: { perSecond: rate.perSecond ?? null, perMinute: rate.perMinute ?? null, perHour: rate.perHour ?? null, perDay: rate.perDay ?? null },
    rotation: { everyDays: limits.everyDays ?? null, gracePeriodSeconds: Math.round(limits.graceHours * 3600) },
    expiryWarningDays: limits.warningDays.split(/[\s,]+/).filter(Boolean).map(Number),
    recoverableKeysAllowed: limits.recoverable,
    alertResponses: { suspendKeyOnCritical: limits.suspendOnCritical },
    leakResponse: limits.leakResponse,
    adaptiveLimiting: { enabled: adaptive.enabled, errorRateThreshold: adaptive.errorRateThreshold, minFactor: adaptive.minFactor, minRequests: adaptive.minRequests },
  };
}

function RulesPanel({ rules, setRules }: { rules: Rule[]; setRules: Dispatch<SetStateAction<Rule[]>> }) {
  const setRule = (i: number, patch: Partial<Rule>) => setRules((rs) => rs.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  const add = (
    <button className="button button-small" type="button" onClick={() => setRules([...rules, { keyType: '', subtype: '', level: '', approvals: 1 }])}>
      Add rule
    </button>
  );
  return (
    <Panel title="Approval rules" id="rules" actions={add}>
      <p className="muted">A key needs the approvals of the strictest rule it matches; admin keys always need at least one.</p>
      <div className="table-wrap">
        <table className="data">
          <thead>
            <tr>
              <th scope="col">Key type</th>
              <th scope="col">Subtype</th>
              <th scope="col">Level</th>
              <th scope="col">Approvals</th>
              <th scope="col"><span className="visually-hidden">Remove</span></th>
            </tr>
          </thead>
          <tbody>
            {rules.map((r, i) => (
              <tr key={i}>
                <td><Choice label={`Rule ${i + 1} key type`} value={r.keyType} options={KEY_TYPES} onChange={(v) => setRule(i, { keyType: v })} /></td>
                <td><Choice label={`Rule ${i + 1} subtype`} value={r.subtype} options={ALL_SUBTYPES} onChange={(v) => setRule(i, { subtype: v })} /></td>
                <td><Choice label={`Rule ${i + 1} level`} value={r.level} options={PERMISSION_LEVELS} onChange={(v) => setRule(i, { level: v })} /></td>
                <td>
                  <input
                    aria-label={`Rule ${i + 1} approvals`}
                    type="number"
                    min={0}
                    max={5}
                    value={r.approvals}
                    onChange={(e) => setRule(i, { approvals: Number(e.target.value) })}
                    style={{ width: '5rem' }}
                  />
                </td>
                <td>
                  <button className="button button-small" type="button" onClick={() => setRules(rules.filter((_, j) => j !== i))}>
                    Remove
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Panel>
  );
}

/** Every section of the policy in one form; saved together as one new policy version. */
export function PolicyEditor({ policy }: { policy: Policy }) {
  const [rules, setRules] = useState<Rule[]>(policy.approvalRules.map(asRule));
  const [limits, setLimits] = useState<LimitsValue>(() => ({
    lifetimes: policy.keyLifetimes.map((l) => ({ ...l })),
    rate: { ...policy.defaultRateLimit },
    everyDays: policy.rotation.everyDays,
    graceHours: policy.rotation.gracePeriodSeconds / 3600,
    warningDays: policy.expiryWarningDays.join(', '),
    recoverable: policy.recoverableKeysAllowed,
    suspendOnCritical: policy.alertResponses.suspendKeyOnCritical,
    leakResponse: policy.leakResponse,
    adaptive: { ...policy.adaptiveLimiting },
  }));
  const save = useAction(updatePolicy);

  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        void save.run(toInput(rules, limits));
      }}
    >
      <RulesPanel rules={rules} setRules={setRules} />
      <LimitsSection value={limits} onChange={setLimits} />
      <FormError error={save.error} />
      {save.data ? <p className="alert alert-info" role="status">Saved as version {save.data.updateOrganizationPolicy.version}.</p> : null}
      <div className="wizard-nav">
        <span />
        <button className="button button-primary" type="submit" disabled={save.pending}>
          {save.pending ? 'Saving…' : 'Save policy'}
        </button>
      </div>
    </form>
  );
}
