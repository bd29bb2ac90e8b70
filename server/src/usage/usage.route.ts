import express, { type Express, type Request, type Response } from 'express';
import { VERIFY_CODE_HTTP_STATUS, Scope } from '@latchkey/schema';
import type { AppServices } from '../app-services';
import { decideScope } from '../access/policy';
import { normalizeIp } from '../http/request-meta';

/**
 * The calling service's own key (Authorization: Bearer, scope `scope`), verified by the
 * same pipeline as every key; answers the error itself and returns null when refused.
 */
export async function callerKey(services: AppServices, req: Request, res: Response, scope: string): Promise<{ orgId: string; keyId: string } | null> {
  const auth = req.headers.authorization;
  const m = typeof auth === 'string' ? /^Bearer\s+(\S+)$/i.exec(auth) : null;
  if (!m?.[1]) {
    res.status(401).json({ error: { code: 'UNAUTHENTICATED', message: 'send the caller key as Authorization: Bearer <key>' } });
    return null;
  }
  const caller = await services.verify.verify({ key: m[1], ip: normalizeIp(req.ip ?? '') });
  if (!caller.valid || !caller.orgId || !caller.keyId) {
    res.status(VERIFY_CODE_HTTP_STATUS[caller.code]).json({ error: { code: caller.code, message: `caller key: ${caller.reason ?? caller.code}` } });
    return null;
  }
  if (!decideScope(caller.scopes ?? [], scope).allowed) {
    res.status(403).json({ error: { code: 'INSUFFICIENT_PERMISSIONS', message: `caller key lacks ${scope}` } });
    return null;
  }
  return { orgId: caller.orgId, keyId: caller.keyId };
}

/**
 * POST /v1/usage: services behind Latchkey report what each request did (status,
 * latency, bytes, measured costs) in batches of up to 1,000. 400 with field paths for a
 * malformed batch; otherwise 200 with how many were accepted, duplicates (same report
 * id seen before) and per-report rejections (unknown key, too old).
 */
export function mountUsageRoute(app: Express, services: AppServices): void {
  // 1,000 reports of a few hundred bytes each.
  app.post('/v1/usage', express.json({ limit: '1mb' }), async (req, res, next) => {
    try {
      const caller = await callerKey(services, req, res, Scope.keysVerify);
      if (!caller) return;
      res.status(200).json(await services.usage.ingest(caller.orgId, req.body));
    } catch (e) {
      next(e);
    }
  });
}

/**
 * Times POST /v1/keys/verify end to end (`latchkey_verify_duration_seconds`). Mounted
 * before the verify route so the pipeline itself stays untouched.
 */
export function mountVerifyTiming(app: Express, services: AppServices): void {
  app.use('/v1/keys/verify', (_req, res, next) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => services.monitoring.verifyDuration.observe({ status: `${Math.floor(res.statusCode / 100)}xx` }, Number(process.hrtime.bigint() - started) / 1e9));
    next();
  });
}
