import express, { type Express } from 'express';
import { Scope } from '@latchkey/schema';
import { callerKey } from './caller';
import type { VerifyService } from './verify.service';
import { parseVerifyRequest } from './verify.inputs';
import type { VerifyResult } from './verify-result';

/**
 * POST /v1/keys/verify. The caller authenticates with its own key (scope
 * `keys:verify`); the verified key must belong to the caller's organization, else
 * NOT_FOUND exactly like an unknown key. Always 200 for a well-formed request.
 */
export function mountVerifyRoute(app: Express, services: { verify: VerifyService }): void {
  app.post('/v1/keys/verify', express.json({ limit: '64kb' }), async (req, res, next) => {
    try {
      const caller = await callerKey(services.verify, req, res, Scope.keysVerify);
      if (!caller) return;
      const input = parseVerifyRequest(req.body);
      const result = await services.verify.verify(input, { callerOrgId: caller.orgId });
      res.status(200).json(publicBody(result));
    } catch (e) {
      next(e);
    }
  });
}

/** The JSON body of a verify answer (CONTRACT.md): header material stays out. */
export function publicBody(r: VerifyResult): Record<string, unknown> {
  const { policies, retryAfterMs, ...body } = r;
  return {
    ...body,
    // Every limit of the key after this request, so a protected service can send the
    // same RateLimit-Policy / RateLimit fields and Retry-After as Latchkey itself.
    ...(policies?.length
      ? {
          policies: policies.map(({ name, quota, windowSeconds, remaining, resetSeconds, unit }) => ({
            name,
            quota,
            windowSeconds,
            remaining,
            resetSeconds,
            ...(unit ? { unit } : {}),
          })),
        }
      : {}),
    ...(retryAfterMs !== undefined ? { retryAfterSeconds: Math.ceil(retryAfterMs / 1000) } : {}),
  };
}
