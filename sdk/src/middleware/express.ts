import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { meterRequest } from '../throttle/node-request';
import { meterResponse } from '../throttle/node-response';
import type { Verification } from '../verification';
import { guard, problemContentType, reportOutcome, type GuardDecision, type GuardOptions } from './guard';

/**
 * The request as Express hands it over, typed structurally so the SDK's types do not
 * require @types/express (an Express `Request` is assignable to it).
 */
export interface ExpressLikeRequest extends IncomingMessage {
  ip?: string;
  query?: unknown;
  latchkey?: Verification;
}

export type ExpressLikeNext = (err?: unknown) => void;
export type LatchkeyExpressOptions = GuardOptions<ExpressLikeRequest>;

const VERIFIED = Symbol.for('latchkey.verification');

/** The verification the middleware attached to a request (also at `req.latchkey`). */
export function latchkeyOf(req: object): Verification | undefined {
  return (req as Record<symbol, Verification | undefined>)[VERIFIED];
}

/**
 * Express middleware: reads the key, verifies it for the route's resource/action, sets
 * the RateLimit headers, answers 401/403/429/503 with an RFC 9457 problem body, or
 * attaches the verification and calls `next()`; counts (and with bandwidth limits,
 * throttles) both bodies and reports the outcome through POST /v1/usage.
 */
export function latchkeyExpress<Req extends ExpressLikeRequest = ExpressLikeRequest, Res extends ServerResponse = ServerResponse>(
  opts: GuardOptions<Req>,
): (req: Req, res: Res, next: ExpressLikeNext) => void {
  return (req, res, next) => {
    const startedAt = performance.now();
    guard(opts, req, {
      authorization: req.headers.authorization,
      apiKeyParam: queryParam(req),
      ip: req.ip ?? req.socket.remoteAddress,
      referrer: req.headers.referer,
    }).then(
      (d) => {
        for (const [k, v] of Object.entries(d.headers)) res.setHeader(k, v);
        if (!d.allow) return deny(opts, d, res, startedAt);
        req.latchkey = d.verification;
        (req as unknown as Record<symbol, Verification>)[VERIFIED] = d.verification;
        let stopCode: string | undefined;
        const input = meterRequest(req, d.bandwidth, (e) => (stopCode = e.code));
        const output = meterResponse(res, d.bandwidth, (e) => (stopCode = e.code));
        res.once('close', () => {
          const status = stopCode ? 429 : res.statusCode;
          reportOutcome(opts, d, { status, startedAt, bytesIn: input.bytes, bytesOut: output.bytes, code: stopCode });
        });
        next();
      },
      (err: unknown) => next(err),
    );
  };
}

function deny<R>(opts: GuardOptions<R>, d: GuardDecision, res: ServerResponse, startedAt: number): void {
  const body = JSON.stringify(d.problem);
  res.statusCode = d.status;
  res.setHeader('content-type', problemContentType);
  res.setHeader('content-length', Buffer.byteLength(body));
  res.end(body);
  reportOutcome(opts, d, { status: d.status, startedAt, bytesIn: 0, bytesOut: Buffer.byteLength(body) });
}

// Express 5 parses the query lazily through a getter; plain Node requests have none.
function queryParam(req: ExpressLikeRequest): string | null {
  const q = req.query as Record<string, unknown> | undefined;
  if (q && typeof q.api_key === 'string') return q.api_key;
  const url = req.url ?? '';
  const i = url.indexOf('?');
  return i >= 0 ? new URLSearchParams(url.slice(i + 1)).get('api_key') : null;
}
