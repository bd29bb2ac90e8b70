import { performance } from 'node:perf_hooks';
import { meterWebStream } from '../throttle/web-stream';
import type { Verification } from '../verification';
import { guard, problemContentType, reportOutcome, type GuardOptions } from './guard';

export interface LatchkeyNextOptions extends GuardOptions<Request> {
  /**
   * The client IP. Route handlers get no socket, so the default reads the first
   * `x-forwarded-for` hop (set by Next.js / your proxy); override when that is not trusted.
   */
  ip?: (req: Request) => string | undefined;
}

export type LatchkeyRouteHandler<C> = (req: Request, ctx: C & { latchkey: Verification }) => Response | Promise<Response>;

/**
 * Wraps a Next.js App Router handler (`export const GET = withLatchkey(handler, opts)`):
 * verifies before the handler runs, answers refusals as problem+json with the RateLimit
 * headers, adds them to the handler's response, meters both bodies as web streams and
 * reports the outcome when the response body has been fully read.
 */
export function withLatchkey<C = unknown>(handler: LatchkeyRouteHandler<C>, opts: LatchkeyNextOptions): (req: Request, ctx: C) => Promise<Response> {
  return async (req, ctx) => {
    const startedAt = performance.now();
    const url = new URL(req.url);
    const d = await guard(opts, req, {
      authorization: req.headers.get('authorization') ?? undefined,
      apiKeyParam: url.searchParams.get('api_key'),
      ip: opts.ip ? opts.ip(req) : req.headers.get('x-forwarded-for')?.split(',')[0]?.trim(),
      referrer: req.headers.get('referer') ?? undefined,
    });
    if (!d.allow) {
      reportOutcome(opts, d, { status: d.status, startedAt, bytesIn: 0, bytesOut: 0 });
      return new Response(JSON.stringify(d.problem), { status: d.status, headers: { ...d.headers, 'content-type': problemContentType } });
    }
    let stopCode: string | undefined;
    const onStop = (e: { code: string }) => (stopCode = e.code);
    let inMeter: { bytes: number } = { bytes: 0 };
    let request = req;
    if (req.body) {
      const m = meterWebStream(req.body, 'upload', d.bandwidth, onStop);
      inMeter = m.meter;
      request = new Request(req, { body: m.stream, duplex: 'half' } as RequestInit);
    }
    const res = await handler(request, { ...(ctx as C), latchkey: d.verification });
    const headers = new Headers(res.headers);
    for (const [k, v] of Object.entries(d.headers)) headers.set(k, v);
    const finish = (bytesOut: number) => reportOutcome(opts, d, { status: stopCode ? 429 : res.status, startedAt, bytesIn: inMeter.bytes, bytesOut, code: stopCode });
    if (!res.body) {
      finish(0);
      return new Response(null, { status: res.status, statusText: res.statusText, headers });
    }
    const out = meterWebStream(res.body, 'download', d.bandwidth, onStop);
    void out.meter.done.then(() => finish(out.meter.bytes));
    return new Response(out.stream, { status: res.status, statusText: res.statusText, headers });
  };
}
