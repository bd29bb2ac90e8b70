import { createReadStream } from 'node:fs';
import type { Express } from 'express';
import { Scope } from '@latchkey/schema';
import { restPrincipal, type RestAuthDeps } from '../http/authenticate';
import { requireScope } from '../access/principal';
import type { ArchivalService } from './archival.service';

/**
 * GET /v1/archives/:id — the archive's gzip NDJSON file as stored (its SHA-256 in
 * `x-archive-sha256`, so a client can check the download against the manifest);
 * GET /v1/archives/:id/manifest — the manifest. audit:read, the caller's organization only.
 */
export function mountArchiveRoute(app: Express, services: RestAuthDeps & { archival: ArchivalService }): void {
  app.get('/v1/archives/:id/manifest', async (req, res, next) => {
    try {
      const p = await restPrincipal(services, req, res);
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
      const p = await restPrincipal(services, req, res);
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
