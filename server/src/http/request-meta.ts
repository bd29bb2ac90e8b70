import { randomUUID } from 'node:crypto';
import type { Request } from 'express';
import type { RequestMeta } from '../access/principal';
import { normalizeIp } from '../infra/client-ip';

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** Request id (taken from X-Request-Id when well formed), client IP, user agent. */
export function requestMeta(req: Request): RequestMeta {
  const given = req.headers['x-request-id'];
  const requestId = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
  const ua = req.headers['user-agent'];
  return {
    requestId,
    ip: normalizeIp(req.ip ?? req.socket.remoteAddress ?? ''),
    userAgent: typeof ua === 'string' ? ua.slice(0, 300) : undefined,
  };
}
