'use client';

import { Panel } from '@/components/ui/page-header';

export interface LimitsValue {
  lifetimes: { keyType: string; maxDays?: number | null; expiryRequired: boolean }[];
  rate: { perSecond?: number | null; perMinute?: number | null; perHour?: number | null; perDay?: number | null };
  everyDays?: number | null;
  graceHours: number;
  warningDays: string;
  recoverable: boolean;
  suspendOnCritical: boolean;
  leakResponse: string;
  adaptive: { enabled: boolean; errorRateThreshold: number; minFactor: number; minRequests: number };
}

const num = (s: string): number | null => (s.trim() === '' ? null : Number(s));

function NumberField({ id, label, value, onChange, step }: { id: string; label: string; value: number | null | undefined; onChange: (v: number | null) => void; step?: number }) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input id={id} type="number" min={0} step={step} value={value ?? ''} placeholder="none" onChange={(e) => onChange(num(e.target.value))} />
    </div>
  );
}

/** Lifetimes, default limits, rotation, recovery, alert responses and adaptive limiting. */
export function LimitsSection({ value: v, onChange }: { value: LimitsValue; onChange: (v: LimitsValue) => void }) {
  const set = (patch: Partial<LimitsValue>) => onChange({ ...v, ...patch });
  const setLifetime = (i: number, patch: Partial<LimitsValue['lifetimes'][number]>) => set({ lifetimes: v.lifetimes.map((x, j) => (j === i ? { ...x, ...patch } : x)) });
  const setAdaptive = (patch: Partial<LimitsValue['adaptive']>) => set({ adaptive: { ...v.adaptive, ...patch } });
  return (
    <div className="grid-2" style={{ marginTop: '1rem' }}>
      <Panel title="Key lifetimes" id="lifetimes">
        {v.lifetimes.map((l, i) => (
          <div className="form-row" key={l.keyType} style={{ marginBottom: '0.5rem' }}>
            <strong style={{ minWidth: '7rem' }}>{l.keyType}</strong>
            <NumberField id={`lt-${l.keyType}`} label="Max days" value={l.maxDays} onChange={(d) => setLifetime(i, { maxDays: d })} />
            <label className="checkbox">
              <input type="checkbox" checked={l.expiryRequired} onChange={(e) => setLifetime(i, { expiryRequired: e.target.checked })} />
              Expiry required
            </label>
          </div>
        ))}
        <div className="field">
          <label htmlFor="warn-days">Warn owners this many days before expiry</label>
          <input id="warn-days" value={v.warningDays} onChange={(e) => set({ warningDays: e.target.value })} />
        </div>
      </Panel>
      <Panel title="Default rate limit" id="default-limits">
        <div className="form-grid">
          <NumberField id="rl-s" label="Per second" value={v.rate.perSecond} onChange={(n) => set({ rate: { ...v.rate, perSecond: n } })} />
          <NumberField id="rl-m" label="Per minute" value={v.rate.perMinute} onChange={(n) => set({ rate: { ...v.rate, perMinute: n } })} />
          <NumberField id="rl-h" label="Per hour" value={v.rate.perHour} onChange={(n) => set({ rate: { ...v.rate, perHour: n } })} />
          <NumberField id="rl-d" label="Per day" value={v.rate.perDay} onChange={(n) => set({ rate: { ...v.rate, perDay: n } })} />
        </div>
      </Panel>
      <Panel title="Rotation and recovery" id="rotation">
        <div className="form-grid">
          <NumberField id="rot-days" label="Rotate every (days)" value={v.everyDays} onChange={(n) => set({ everyDays: n })} />
          <NumberField id="rot-grace" label="Grace period (hours)" value={v.graceHours} onChange={(n) => set({ graceHours: n ?? 0 })} />
        </div>
        <label className="checkbox">
          <input type="checkbox" checked={v.recoverable} onChange={(e) => set({ recoverable: e.target.checked })} />
          Allow recoverable keys (a sealed copy that keys:reveal can read back)
        </label>
      </Panel>
      <Panel title="Automated responses" id="responses">
        <label className="checkbox">
          <input type="checkbox" checked={v.suspendOnCritical} onChange={(e) => set({ suspendOnCritical: e.target.checked })} />
          Suspend a key on a critical alert (audited, reversible)
        </label>
        <div className="field">
          <label htmlFor="leak-response">When a key is reported exposed</label>
          <select id="leak-response" value={v.leakResponse} onChange={(e) => set({ leakResponse: e.target.value })}>
            <option value="suspend">Suspend it (reversible)</option>
            <option value="revoke">Revoke it</option>
          </select>
        </div>
        <label className="checkbox">
          <input type="checkbox" checked={v.adaptive.enabled} onChange={(e) => setAdaptive({ enabled: e.target.checked })} />
          Adaptive limiting: scale a key&apos;s limits down while its error rate is high
        </label>
        {v.adaptive.enabled ? (
          <div className="form-grid">
            <NumberField
              id="ad-thr"
              label="Error-rate threshold"
              step={0.05}
              value={v.adaptive.errorRateThreshold}
              onChange={(n) => setAdaptive({ errorRateThreshold: n ?? 0.5 })}
            />
            <NumberField id="ad-min" label="Lowest factor" step={0.05} value={v.adaptive.minFactor} onChange={(n) => setAdaptive({ minFactor: n ?? 0.25 })} />
            <NumberField id="ad-req" label="Minimum requests" value={v.adaptive.minRequests} onChange={(n) => setAdaptive({ minRequests: n ?? 50 })} />
          </div>
        ) : null}
      </Panel>
    </div>
  );
}
