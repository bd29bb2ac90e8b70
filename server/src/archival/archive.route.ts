import { createReadStream } from 'node:fs';
import type { Express, Request, Response } from 'express';
import { Scope, VERIFY_CODE_HTTP_STATUS } from '@latchkey/schema';
import type { AppServices } from '../app-services';
import type { Principal } from '../access/principal';
import { AppError } from '../infra/app-error';
import { credentialFromRequest, resolvePrincipal } from '../http/authenticate';
import { requestMeta } from '../http/request-meta';
import { requireScope } from '../access/principal';
import { isApiKeyCredential } from '../verify/key-authenticator';

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

/**
 * GET /v1/archives/:id — the archive's gzip NDJSON file as stored (its SHA-256 in
 * `x-archive-sha256`, so a client can check the download against the manifest);
 * GET /v1/archives/:id/manifest — the manifest. audit:read, the caller's organization only.
 */
export function mountArchiveRoute(app: Express, services: AppServices): void {
  app.get('/v1/archives/:id/manifest', async (req, res, next) => {
    try {
      const p = await principalFor(services, req, res);
      if (!p) return;
      requireScope(p, Scope.auditRead);
      const { manifest } = await services.archival.reader.file(p.orgId, String(req.params.id));
      res.setHeader('cache-control', 'no-store');
      res.json(manifest);
    } catch (e) {
      next(e);
    }
  });
  app.get('/v1/archives/:id', async (req, res, next) => {
    try {
      const p = await principalFor(services, req, res);
      if (!p) return;
      requireScope(p, Scope.auditRead);
      const { path, manifest } = await services.archival.reader.file(p.orgId, String(req.params.id));
      res.setHeader('content-type', 'application/gzip');
      res.setHeader('content-disposition', `attachment; filename="${manifest.collection}_${manifest.file.replace('.ndjson.gz', '')}.ndjson.gz"`);
      res.setHeader('content-length', String(manifest.bytes));
      res.setHeader('x-archive-sha256', manifest.sha256);
      res.setHeader('x-archive-record-count', String(manifest.recordCount));
      res.setHeader('cache-control', 'no-store');
      const stream = createReadStream(path);
      stream.on('error', (e) => (res.headersSent ? res.destroy(e) : next(e)));
      stream.pipe(res);
    } catch (e) {
      next(e);
    }
  });
}
