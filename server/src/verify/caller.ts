import type { Request, Response } from 'express';
import { VERIFY_CODE_HTTP_STATUS } from '@latchkey/schema';
import type { VerifyService } from './verify.service';
import { decideScope } from '../access/policy';
import { normalizeIp } from '../infra/client-ip';

export type CallerCheck = { ok: true; orgId: string; keyId: string } | { ok: false; status: number; body: { error: { code: string; message: string } } };

/**
 * The calling service's own key (`Authorization: Bearer`, scope `scope`), verified by
 * the same pipeline as every key. Framework-free: the Express routes and the verify
 * fast path (verify-fast-route.ts) send the refusal themselves.
 */
export async function checkCaller(verify: Pick<VerifyService, 'verify'>, authorization: string | undefined, ip: string, scope: string): Promise<CallerCheck> {
  const m = typeof authorization === 'string' ? /^Bearer\s+(\S+)$/i.exec(authorization) : null;
  if (!m?.[1]) return { ok: false, status: 401, body: { error: { code: 'UNAUTHENTICATED', message: 'send the caller key as Authorization: Bearer <key>' } } };
  const caller = await verify.verify({ key: m[1], ip: normalizeIp(ip) });
  if (!caller.valid || !caller.orgId || !caller.keyId) {
    return { ok: false, status: VERIFY_CODE_HTTP_STATUS[caller.code], body: { error: { code: caller.code, message: `caller key: ${caller.reason ?? caller.code}` } } };
  }
  if (!decideScope(caller.scopes ?? [], scope).allowed) {
    return { ok: false, status: 403, body: { error: { code: 'INSUFFICIENT_PERMISSIONS', message: `caller key lacks ${scope}` } } };
  }
  return { ok: true, orgId: caller.orgId, keyId: caller.keyId };
}

/** checkCaller for Express routes: answers the refusal itself and returns null then. */
export async function callerKey(verify: Pick<VerifyService, 'verify'>, req: Request, res: Response, scope: string): Promise<{ orgId: string; keyId: string } | null> {
  const c = await checkCaller(verify, req.headers.authorization, req.ip ?? '', scope);
  if (!c.ok) {
    res.status(c.status).json(c.body);
    return null;
  }
  return { orgId: c.orgId, keyId: c.keyId };
}
