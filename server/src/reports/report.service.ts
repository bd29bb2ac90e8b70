import type { Connection } from 'mongoose';
import { z } from 'zod';
import type { Principal } from '../access/principal';
import { AppError } from '../infra/app-error';
import { parseInput } from '../access/validation';
import { actorOf } from '../access/principal';
import type { AuditService } from '../audit/audit.service';
import type { UsageService } from '../usage/usage.service';
import { apiKeyModel, type ApiKeyDoc } from '../keys/key.model';
import { figures } from '../usage/usage-query';
import { alertModel, type AlertDoc } from '../alerts/alert.model';
import { jsonRow, toCsv, type Column } from './report-csv';
import { COMPLIANCE_COLUMNS, MAX_REPORT_KEYS, complianceRows } from './report-compliance';
import { billingSettingsModel, DEFAULT_BILLING, type BillingSettingsDoc } from './billing.model';

export const ReportKind = {
  MONTHLY_USAGE: 'MONTHLY_USAGE',
  KEY_PERFORMANCE: 'KEY_PERFORMANCE',
  SECURITY_INCIDENTS: 'SECURITY_INCIDENTS',
  BILLING: 'BILLING',
  COMPLIANCE: 'COMPLIANCE',
} as const;
export type ReportKind = (typeof ReportKind)[keyof typeof ReportKind];

export interface Report {
  kind: ReportKind;
  generatedAt: Date;
  from: Date;
  to: Date;
  columns: Column[];
  rows: Record<string, unknown>[];
  csv: string;
}

export interface ReportDeps {
  conn: Connection;
  audit: AuditService;
  usage: UsageService;
  expandScopes(orgId: string, roleIds: readonly string[], direct: readonly string[]): Promise<string[]>;
}

const col = (key: string, header: string): Column => ({ key, header });
const GB = 1e9;
const round = (x: number, d = 6): number => Math.round(x * 10 ** d) / 10 ** d;

const BillingSchema = z.object({
  perRequest: z.number().min(0, 'must be ≥ 0').max(1e6),
  perGb: z.number().min(0, 'must be ≥ 0').max(1e9),
  currency: z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as USD'),
});

/**
 * Reports from rollups, alerts and the key inventory — never from raw request logs —
 * as JSON rows and CSV (the same rows). Generating one is audited (reports leave the
 * system). `GET /v1/reports/:kind` and the `report` query both end here.
 */
export class ReportService {
  constructor(private readonly deps: ReportDeps) {
    billingSettingsModel(deps.conn);
  }

  async generate(p: Principal, kind: ReportKind, from: Date, to: Date, opts: { unusedDays?: number | null } = {}): Promise<Report> {
    if (!(from.getTime() < to.getTime())) throw AppError.badInput('from must be before to', [{ path: ['to'], message: 'must be after from' }]);
    const orgId = p.orgId;
    let columns: Column[];
    let rows: Record<string, unknown>[];
    switch (kind) {
      case 'MONTHLY_USAGE':
      case 'KEY_PERFORMANCE':
      case 'BILLING':
        ({ columns, rows } = await this.usageReport(kind, orgId, from, to));
        break;
      case 'SECURITY_INCIDENTS':
        ({ columns, rows } = await this.incidents(orgId, from, to));
        break;
      case 'COMPLIANCE': {
        const unusedDays = parseInput(z.number().int().min(1).max(3650), opts.unusedDays ?? 90, ['unusedDays']);
        columns = COMPLIANCE_COLUMNS;
        rows = await complianceRows(this.deps.conn, orgId, { now: new Date(), unusedDays, expandScopes: this.deps.expandScopes });
        break;
      }
    }
    const generatedAt = new Date();
    await this.deps.audit.append({
      orgId,
      actor: actorOf(p),
      action: 'report.generated',
      target: { type: 'report', id: kind },
      before: null,
      after: { kind, from: from.toISOString(), to: to.toISOString(), rows: rows.length },
    });
    return { kind, generatedAt, from, to, columns, rows: rows.map(jsonRow), csv: toCsv(columns, rows) };
  }

  async billingSettings(orgId: string): Promise<Omit<BillingSettingsDoc, '_id' | 'updatedAt' | 'updatedBy'> & { updatedAt: Date | null }> {
    const d = await billingSettingsModel(this.deps.conn).findOne({ _id: orgId }).lean<BillingSettingsDoc>().exec();
    return d ? { perRequest: d.perRequest, perGb: d.perGb, currency: d.currency, updatedAt: d.updatedAt } : { ...DEFAULT_BILLING, updatedAt: null };
  }

  /** One document per organization, replaced whole: a single-writer upsert needs no lock. */
  async updateBillingSettings(p: Principal, input: unknown): Promise<Awaited<ReturnType<ReportService['billingSettings']>>> {
    const v = parseInput(BillingSchema, input, ['input']);
    const before = await this.billingSettings(p.orgId);
    const now = new Date();
    await billingSettingsModel(this.deps.conn).updateOne({ _id: p.orgId }, { $set: { ...v, updatedAt: now, updatedBy: p.id } }, { upsert: true }).exec();
    await this.deps.audit.append({
      orgId: p.orgId,
      actor: actorOf(p),
      action: 'billing.updated',
      target: { type: 'organization', id: p.orgId },
      before: { perRequest: before.perRequest, perGb: before.perGb, currency: before.currency },
      after: v,
    });
    return { ...v, updatedAt: now };
  }

  private async usageReport(kind: 'MONTHLY_USAGE' | 'KEY_PERFORMANCE' | 'BILLING', orgId: string, from: Date, to: Date) {
    const totals = await this.deps.usage.perKeyTotals(orgId, from, to);
    const keys = await apiKeyModel(this.deps.conn)
      .find({ orgId }, { _id: 1, name: 1, applicationId: 1, ownerId: 1 })
      .limit(MAX_REPORT_KEYS)
      .lean<Pick<ApiKeyDoc, '_id' | 'name' | 'applicationId' | 'ownerId'>[]>()
      .exec();
    const names = new Map(keys.map((k) => [k._id, k]));
    const minutes = Math.max(1, (to.getTime() - from.getTime()) / 60_000);
    const billing = kind === 'BILLING' ? await this.billingSettings(orgId) : null;
    const rows: Record<string, unknown>[] = [];
    let sum = { requests: 0, gb: 0, requestCost: 0, bandwidthCost: 0 };
    for (const [keyId, t] of [...totals].sort((a, b) => b[1].requests - a[1].requests)) {
      const f = figures(t);
      const k = names.get(keyId);
      const base = { keyId, name: k?.name ?? keyId, applicationId: k?.applicationId ?? null, ownerId: k?.ownerId ?? null };
      if (kind === 'MONTHLY_USAGE') {
        const rateLimited = t.codes.filter((c) => c.name === 'RATE_LIMITED' || c.name === 'QUOTA_EXCEEDED').reduce((a, c) => a + c.count, 0);
        rows.push({
          ...base,
          dimensions: f.dimensions.map((d) => `${d.name}=${d.count}`).join('; '),
          requests: f.requests,
          valid: f.valid,
          denied: f.denied,
          errorRate: f.errorRate,
          rateLimited,
          reported: f.reported,
          bytesIn: f.bytesIn,
          bytesOut: f.bytesOut,
          p95Ms: f.latency.p95,
        });
      } else if (kind === 'KEY_PERFORMANCE') {
        rows.push({
          ...base,
          requests: f.requests,
          perMinute: round(f.requests / minutes, 3),
          p50Ms: f.latency.p50,
          p95Ms: f.latency.p95,
          p99Ms: f.latency.p99,
          meanMs: f.latency.meanMs,
          availability: f.availability,
          serverErrorRate: f.serverErrorRate,
          errorRate: f.errorRate,
        });
      } else if (billing) {
        const gb = round((f.bytesIn + f.bytesOut) / GB);
        const requestCost = round(f.valid * billing.perRequest);
        const bandwidthCost = round(gb * billing.perGb);
        sum = { requests: sum.requests + f.valid, gb: sum.gb + gb, requestCost: sum.requestCost + requestCost, bandwidthCost: sum.bandwidthCost + bandwidthCost };
        const consumed = f.dimensions.map((d) => `${d.name}=${d.count}`).join('; ');
        rows.push({
          ...base,
          billableRequests: f.valid,
          gb,
          requestCost,
          bandwidthCost,
          total: round(requestCost + bandwidthCost),
          currency: billing.currency,
          dimensions: consumed,
        });
      }
    }
    if (billing) {
      rows.push({
        keyId: 'TOTAL',
        name: 'All keys',
        applicationId: null,
        ownerId: null,
        billableRequests: sum.requests,
        gb: round(sum.gb),
        requestCost: round(sum.requestCost),
        bandwidthCost: round(sum.bandwidthCost),
        total: round(sum.requestCost + sum.bandwidthCost),
        currency: billing.currency,
      });
    }
    const head = [col('keyId', 'Key ID'), col('name', 'Name'), col('applicationId', 'Application'), col('ownerId', 'Owner')];
    const columns: Record<typeof kind, Column[]> = {
      MONTHLY_USAGE: [
        ...head,
        col('requests', 'Requests'), col('valid', 'Valid'), col('denied', 'Denied'), col('errorRate', 'Error rate'), col('rateLimited', 'Rate limited'),
        col('reported', 'Reported'), col('bytesIn', 'Bytes in'), col('bytesOut', 'Bytes out'), col('p95Ms', 'p95 (ms)'), col('dimensions', 'Metered consumption'),
      ],
      KEY_PERFORMANCE: [
        ...head,
        col('requests', 'Requests'), col('perMinute', 'Requests / min'), col('p50Ms', 'p50 (ms)'), col('p95Ms', 'p95 (ms)'), col('p99Ms', 'p99 (ms)'),
        col('meanMs', 'Mean (ms)'), col('availability', 'Availability'), col('serverErrorRate', '5xx rate'), col('errorRate', 'Denied rate'),
      ],
      BILLING: [
        ...head,
        col('billableRequests', 'Billable requests'), col('gb', 'GB'), col('requestCost', 'Request cost'), col('bandwidthCost', 'Bandwidth cost'),
        col('total', 'Total'), col('currency', 'Currency'), col('dimensions', 'Metered consumption'),
      ],
    };
    return { columns: columns[kind], rows };
  }

  private async incidents(orgId: string, from: Date, to: Date) {
    const alerts = await alertModel(this.deps.conn)
      .find({ orgId, lastSeen: { $gte: from }, firstSeen: { $lt: to } })
      .sort({ _id: 1 })
      .limit(MAX_REPORT_KEYS)
      .lean<AlertDoc[]>()
      .exec();
    const rows = alerts.map((a) => ({
      alertId: a._id, type: a.type, severity: a.severity, status: a.status, keyId: a.keyId, ownerId: a.ownerId, ip: a.ip, count: a.count,
      firstSeen: a.firstSeen, lastSeen: a.lastSeen, summary: a.summary,
      autoResponse: a.response ? `${a.response.action}${a.response.error ? ` (failed: ${a.response.error})` : ''}` : null,
      acknowledgedBy: a.acknowledgedBy, resolvedBy: a.resolvedBy, resolvedAt: a.resolvedAt,
    }));
    const columns = [
      col('alertId', 'Alert'), col('type', 'Type'), col('severity', 'Severity'), col('status', 'Status'), col('keyId', 'Key'), col('ownerId', 'Owner'),
      col('ip', 'IP'), col('count', 'Occurrences'), col('firstSeen', 'First seen'), col('lastSeen', 'Last seen'), col('summary', 'Summary'),
      col('autoResponse', 'Automatic response'), col('acknowledgedBy', 'Acknowledged by'), col('resolvedBy', 'Resolved by'), col('resolvedAt', 'Resolved at'),
    ];
    return { columns, rows };
  }
}
