import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { meterRequest } from '../throttle/node-request';
import { meterResponse } from '../throttle/node-response';
import type { Verification } from '../verification';
import { guard, problemContentType, reportOutcome, type GuardOptions } from './guard';

/** The parts of Fastify's request/reply the hook uses (structural: no fastify types needed). */
export interface FastifyLikeRequest {
  raw: IncomingMessage;
  headers: IncomingMessage['headers'];
  query?: unknown;
  params?: unknown;
  ip?: string;
  latchkey?: Verification;
}
export interface FastifyLikeReply {
  raw: ServerResponse;
  code(status: number): FastifyLikeReply;
  header(name: string, value: string): FastifyLikeReply;
  send(payload?: unknown): FastifyLikeReply;
}
export interface FastifyLikeInstance {
  addHook(name: 'onRequest', hook: (req: FastifyLikeRequest, reply: FastifyLikeReply) => Promise<unknown>): unknown;
  decorateRequest?(name: string, value: unknown): unknown;
  hasRequestDecorator?(name: string): boolean;
}

export type LatchkeyFastifyOptions = GuardOptions<FastifyLikeRequest>;

/**
 * A Fastify `onRequest` hook (use it as a route's `onRequest`/`preHandler`, or app-wide
 * through `latchkeyFastifyPlugin`). It runs before the body is parsed, so refused keys
 * cost no body parsing and an upload limit applies to the whole body.
 */
export function latchkeyFastify(opts: LatchkeyFastifyOptions): (req: FastifyLikeRequest, reply: FastifyLikeReply) => Promise<unknown> {
  return async (req, reply) => {
    const startedAt = performance.now();
    const q = req.query as Record<string, unknown> | undefined;
    const d = await guard(opts, req, {
      authorization: req.headers.authorization,
      apiKeyParam: typeof q?.api_key === 'string' ? q.api_key : null,
      ip: req.ip,
      referrer: req.headers.referer,
    });
    for (const [k, v] of Object.entries(d.headers)) reply.header(k, v);
    if (!d.allow) {
      reply.raw.once('close', () => reportOutcome(opts, d, { status: d.status, startedAt, bytesIn: 0, bytesOut: 0 }));
      reply.code(d.status).header('content-type', problemContentType).send(JSON.stringify(d.problem));
      return reply;
    }
    req.latchkey = d.verification;
    let stopCode: string | undefined;
    const input = meterRequest(req.raw, d.bandwidth, (e) => (stopCode = e.code));
    const output = meterResponse(reply.raw, d.bandwidth, (e) => (stopCode = e.code));
    reply.raw.once('close', () => {
      reportOutcome(opts, d, { status: stopCode ? 429 : reply.raw.statusCode, startedAt, bytesIn: input.bytes, bytesOut: output.bytes, code: stopCode });
    });
  };
}

/**
 * App-wide registration: `app.register(latchkeyFastifyPlugin, opts)`. Marked
 * skip-override (what the fastify-plugin package does) so the hook covers the
 * routes of the app that registered it, not only an encapsulated child context.
 */
export const latchkeyFastifyPlugin = Object.assign(
  async function latchkeyFastifyPlugin(app: FastifyLikeInstance, opts: LatchkeyFastifyOptions): Promise<void> {
    if (app.decorateRequest && !app.hasRequestDecorator?.('latchkey')) app.decorateRequest('latchkey', null);
    app.addHook('onRequest', latchkeyFastify(opts));
  },
  { [Symbol.for('skip-override')]: true, [Symbol.for('fastify.display-name')]: 'latchkey' },
);
