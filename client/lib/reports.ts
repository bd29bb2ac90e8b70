import type { ReportKind } from '@/gql/graphql';
import { firstParam, pick } from './key-options';

export const REPORT_KINDS: readonly { kind: ReportKind; label: string; hint: string }[] = [
  { kind: 'MONTHLY_USAGE', label: 'Monthly usage', hint: 'Requests, errors and bandwidth per key' },
  { kind: 'KEY_PERFORMANCE', label: 'Key performance', hint: 'Latency percentiles and error rates per key' },
  { kind: 'SECURITY_INCIDENTS', label: 'Security incidents', hint: 'Alerts raised and what was done' },
  { kind: 'BILLING', label: 'Billing / cost', hint: 'Requests and GB at the organization’s prices' },
  { kind: 'COMPLIANCE', label: 'Compliance', hint: 'Key inventory: age, rotation, expiry, approvals, unused keys, unused scopes' },
];

export interface ReportParams {
  kind: ReportKind;
  from: string;
  to: string;
  unusedDays?: number;
}

type Search = Record<string, string | string[] | undefined> | URLSearchParams;

/** Default: the previous calendar month (UTC), the period most reports are asked for. */
export function parseReportParams(sp: Search): ReportParams {
  const get = (n: string) => (sp instanceof URLSearchParams ? (sp.get(n) ?? undefined) : firstParam(sp[n]));
  const now = new Date();
  const monthStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  const prevStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
  const date = (v: string | undefined, fallback: Date) => (v && /^\d{4}-\d{2}-\d{2}$/.test(v) ? v : fallback.toISOString().slice(0, 10));
  const unused = Number(get('unusedDays'));
  return {
    kind: pick(REPORT_KINDS.map((k) => k.kind), get('kind')) ?? 'MONTHLY_USAGE',
    from: date(get('from'), prevStart),
    to: date(get('to'), monthStart),
    unusedDays: Number.isInteger(unused) && unused > 0 ? unused : undefined,
  };
}

export function reportVariables(p: ReportParams) {
  return { kind: p.kind, from: `${p.from}T00:00:00.000Z`, to: `${p.to}T00:00:00.000Z`, unusedDays: p.unusedDays };
}
