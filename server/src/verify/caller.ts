import type { Request, Response } from 'express';
import { VERIFY_CODE_HTTP_STATUS } from '@latchkey/schema';
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
