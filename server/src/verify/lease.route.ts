import express, { type Express } from 'express';
import { z } from 'zod';
import { Scope } from '@latchkey/schema';
import type { Mongo } from '../infra/mongo';
import type { RateLimiter } from '../ratelimit/ratelimit.service';
import { AppError } from '../infra/app-error';
import { parseInput } from '../access/validation';
import { apiKeyModel } from '../keys/key.model';
import { callerKey } from './caller';
import type { VerifyService } from './verify.service';

export interface LeaseRouteDeps {
  verify: VerifyService;
  limiter: RateLimiter;
  mongo: Pick<Mongo, 'conn'>;
}

const LeaseBody = z
  .object({
    keyId: z.string().regex(/^key_[a-z0-9]{1,64}$/, 'is not a key id'),
    leaseId: z.string().regex(/^lse_[A-Za-z0-9_-]{1,64}$/, 'is not a lease id'),
    action: z.enum(['renew', 'release'], { error: 'must be renew or release' }),
    ttlMs: z.number().int().min(1_000).max(3_600_000).optional(),
  })
  .strict();

/**
 * POST /v1/leases: long-lived connections (streams, websockets) hold a concurrency slot
 * taken with `acquireLease` at verify time, renew it before its TTL runs out and
 * release it when done. A lease that is not renewed expires, so a crashed client never
 * holds a slot forever. `renewed: false` means the slot is gone: acquire again.
 */
export function mountLeaseRoute(app: Express, services: LeaseRouteDeps): void {
  app.post('/v1/leases', express.json({ limit: '4kb' }), async (req, res, next) => {
    try {
      const caller = await callerKey(services.verify, req, res, Scope.keysVerify);
      if (!caller) return;
      const body = parseInput(LeaseBody, req.body);
      // The key must be one of the caller's organization, like every id.
      const owned = await apiKeyModel(services.mongo.conn).exists({ _id: body.keyId, orgId: caller.orgId }).exec();
      if (!owned) throw AppError.notFound('key');
      if (body.action === 'release') {
        res.json({ released: await services.limiter.release(body.keyId, body.leaseId) });
        return;
      }
      const expiresAt = await services.limiter.renew(body.keyId, body.leaseId, body.ttlMs);
      res.json({ renewed: expiresAt !== null, expiresAt: expiresAt?.toISOString() ?? null });
    } catch (e) {
      next(e);
    }
  });
}
