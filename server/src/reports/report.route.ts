import type { Express } from 'express';
import { Scope } from '@latchkey/schema';
import { AppError } from '../infra/app-error';
import { restPrincipal, type RestAuthDeps } from '../http/authenticate';
import { requireScope } from '../access/principal';
import { ReportKind, type ReportService } from './report.service';

function date(v: unknown, name: string): Date {
  const d = typeof v === 'string' ? new Date(/^\d+$/.test(v) ? Number(v) : v) : new Date(NaN);
  if (Number.isNaN(d.getTime())) throw AppError.badInput(`${name} must be an ISO date`, [{ path: [name], message: 'must be an ISO date or epoch ms' }]);
  return d;
}

/** GET /v1/reports/:kind?from&to&format=csv|json — a download of the `report` query. */
export function mountReportRoute(app: Express, services: RestAuthDeps & { reports: ReportService }): void {
  app.get('/v1/reports/:kind', async (req, res, next) => {
    try {
      const p = await restPrincipal(services, req, res);
      if (!p) return;
      requireScope(p, Scope.reportsRead);
      const kind = String(req.params.kind).toUpperCase().replace(/-/g, '_');
      if (!(kind in ReportKind)) throw AppError.badInput(`unknown report kind ${req.params.kind}`, [{ path: ['kind'], message: `one of ${Object.keys(ReportKind).join(', ')}` }]);
      const format = String(req.query.format ?? 'json').toLowerCase();
      if (format !== 'csv' && format !== 'json') throw AppError.badInput('format must be csv or json', [{ path: ['format'], message: 'csv or json' }]);
      const unusedDays = typeof req.query.unusedDays === 'string' ? Number(req.query.unusedDays) : undefined;
      const r = await services.reports.generate(p, kind as ReportKind, date(req.query.from, 'from'), date(req.query.to, 'to'), { unusedDays });
      const file = `${kind.toLowerCase()}_${r.from.toISOString().slice(0, 10)}_${r.to.toISOString().slice(0, 10)}.${format}`;
      res.setHeader('content-disposition', `attachment; filename="${file}"`);
      res.setHeader('cache-control', 'no-store');
      if (format === 'csv') res.type('text/csv; charset=utf-8').send(r.csv);
      else res.json({ kind: r.kind, generatedAt: r.generatedAt, from: r.from, to: r.to, columns: r.columns, rows: r.rows });
    } catch (e) {
      next(e);
    }
  });
}
