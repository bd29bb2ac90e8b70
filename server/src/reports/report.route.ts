import type { Express, Request, Response } from 'express';
import { Scope, VERIFY_CODE_HTTP_STATUS } from '@latchkey/schema';
import type { AppServices } from '../app-services';
import type { Principal } from '../access/principal';
import { AppError } from '../infra/app-error';
import { credentialFromRequest, resolvePrincipal } from '../http/authenticate';
import { requestMeta } from '../http/request-meta';
import { requireScope } from '../access/principal';
import { isApiKeyCredential } from '../verify/key-authenticator';
import { ReportKind } from './report.service';

/** Like /graphql: a session (cookie or bearer) or an API key, verified by the one pipeline. */
async function principalFor(services: AppServices, req: Request, res: Response): Promise<Principal | null> {
  const credential = credentialFromRequest(req);
  const meta = requestMeta(req);
  if (isApiKeyCredential(credential)) {
    const r = await services.verify.verify({ key: credential.value, ip: meta.ip }, { queryParam: credential.source === 'query' });
    if (!r.valid) {
      res.status(VERIFY_CODE_HTTP_STATUS[r.code]).json({ error: { code: r.code, message: r.reason ?? r.code } });
      return null;
    }
    return { kind: 'key', id: r.keyId as string, orgId: r.orgId as string, scopes: r.scopes ?? [], userId: r.ownerId ?? undefined, isPlatformAdmin: false };
  }
  const p = await resolvePrincipal(services.authenticators, credential, meta);
  if (!p) throw AppError.unauthenticated();
  return p;
}

function date(v: unknown, name: string): Date {
  const d = typeof v === 'string' ? new Date(/^\d+$/.test(v) ? Number(v) : v) : new Date(NaN);
  if (Number.isNaN(d.getTime())) throw AppError.badInput(`${name} must be an ISO date`, [{ path: [name], message: 'must be an ISO date or epoch ms' }]);
  return d;
}

/** GET /v1/reports/:kind?from&to&format=csv|json — a download of the `report` query. */
export function mountReportRoute(app: Express, services: AppServices): void {
  app.get('/v1/reports/:kind', async (req, res, next) => {
    try {
      const p = await principalFor(services, req, res);
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
