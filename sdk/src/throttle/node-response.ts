import type { ServerResponse } from 'node:http';
import type { LatchkeyError } from '../errors';
import type { KeyBandwidth } from './bandwidth';
import { quotaExceededError } from './bandwidth';

export interface ResponseMeter {
  /** Bytes of body handed to the socket so far. */
  readonly bytes: number;
  /** Set when the daily byte quota stopped the body. */
  readonly error?: LatchkeyError;
}

type Cb = (err?: Error | null) => void;
interface Pending {
  buf: Buffer;
  cb?: Cb;
}

// Above this many queued bytes write() answers false, so pipe()/pipeline() pause the source.
const HIGH_WATER = 64 * 1_024;

/**
 * Counts (and with a key's bandwidth, throttles) a Node response body by wrapping
 * `res.write`/`res.end` — the way compression middleware does, so `res.send`, `pipe`
 * and `pipeline` all pass through. Throttled bytes go out in small pieces on a timer
 * (see TokenBucket), keeping backpressure towards the source. When the daily byte
 * quota runs out: before any body byte, the answer becomes a 429 problem; mid-body,
 * the connection is closed so the client sees an incomplete transfer rather than a
 * silently short one, and `onStop` gets the QUOTA_EXCEEDED error.
 */
export function meterResponse(res: ServerResponse, bw: KeyBandwidth | undefined, onStop: (err: LatchkeyError) => void): ResponseMeter {
  const meter: { bytes: number; error?: LatchkeyError } = { bytes: 0 };
  // Whatever write/end are now (maybe another middleware's wrappers), called on res.
  const rawWrite = res.write as (...a: unknown[]) => boolean;
  const rawEnd = res.end as (...a: unknown[]) => ServerResponse;
  const origWrite = (chunk: Buffer): boolean => rawWrite.call(res, chunk);
  const origEnd = (cb?: () => void): ServerResponse => rawEnd.call(res, cb);
  const throttled = Boolean(bw && (bw.down || bw.remaining() !== Infinity));

  if (!throttled) {
    res.write = function write(chunk: unknown, enc?: unknown, cb?: unknown): boolean {
      meter.bytes += byteLength(chunk, enc);
      return rawWrite.call(res, chunk, enc, cb);
    } as typeof res.write;
    res.end = function end(chunk?: unknown, enc?: unknown, cb?: unknown): ServerResponse {
      if (chunk !== undefined && chunk !== null && typeof chunk !== 'function') meter.bytes += byteLength(chunk, enc);
      return rawEnd.call(res, chunk, enc, cb);
    } as typeof res.end;
    return meter;
  }

  const pending: Pending[] = [];
  let queued = 0;
  let ending: { cb?: () => void } | undefined;
  let timer: NodeJS.Timeout | undefined;
  let waitingDrain = false;
  let stopped = false;
  const bucket = bw?.down;
  const piece = bucket?.pieceSize() ?? 64 * 1_024;

  const stop = (err: LatchkeyError) => {
    stopped = true;
    meter.error = err;
    if (timer) clearTimeout(timer);
    for (const p of pending.splice(0)) p.cb?.(err);
    queued = 0;
    onStop(err);
    if (!res.headersSent && meter.bytes === 0) {
      const body = JSON.stringify({
        type: 'https://latchkey.dev/problems/quota-exceeded',
        title: 'Quota exceeded',
        status: 429,
        detail: err.message,
        code: err.code,
        dimension: 'bytes',
      });
      for (const h of res.getHeaderNames()) if (!/^(ratelimit|retry-after)/i.test(h)) res.removeHeader(h);
      res.statusCode = 429;
      res.setHeader('content-type', 'application/problem+json');
      res.setHeader('content-length', Buffer.byteLength(body));
      origWrite(Buffer.from(body));
      origEnd();
    } else {
      res.destroy();
    }
  };

  const sendPiece = (out: Buffer, done: Pending | undefined) => {
    origWrite(out);
    meter.bytes += out.length;
    const wasFull = queued >= HIGH_WATER;
    queued -= out.length;
    done?.cb?.();
    if (wasFull && queued < HIGH_WATER) res.emit('drain');
  };

  // A loop, not recursion: a fast limit sends many pieces back to back.
  let pumping = false;
  const pump = () => {
    timer = undefined;
    if (pumping) return;
    pumping = true;
    try {
      while (!stopped) {
        if (res.writableNeedDrain) {
          // The client reads slower than the limit: wait for the socket, not the timer.
          if (!waitingDrain) {
            waitingDrain = true;
            res.once('drain', () => {
              waitingDrain = false;
              pump();
            });
          }
          return;
        }
        const head = pending[0];
        if (!head) {
          if (ending) {
            const { cb } = ending;
            ending = undefined;
            origEnd(cb);
          }
          return;
        }
        const n = Math.min(piece, head.buf.length);
        const fit = bw ? bw.consume(n) : n;
        if (fit < n) {
          if (fit > 0) {
            origWrite(head.buf.subarray(0, fit));
            meter.bytes += fit;
          }
          return stop(quotaExceededError('download', meter.bytes));
        }
        const wait = bucket ? bucket.reserve(n) : 0;
        const out = head.buf.subarray(0, n);
        head.buf = head.buf.subarray(n);
        const done = head.buf.length === 0 ? pending.shift() : undefined;
        if (wait > 1) {
          timer = setTimeout(() => {
            if (stopped) return;
            sendPiece(out, done);
            pump();
          }, wait);
          return;
        }
        sendPiece(out, done);
      }
    } finally {
      pumping = false;
    }
  };

  res.write = function write(chunk: unknown, enc?: unknown, cb?: unknown): boolean {
    const callback = (typeof enc === 'function' ? enc : cb) as Cb | undefined;
    if (stopped) {
      callback?.(meter.error);
      return false;
    }
    const buf = toBuffer(chunk, enc);
    if (!res.headersSent) res.flushHeaders();
    pending.push({ buf, cb: callback });
    queued += buf.length;
    if (!timer && !waitingDrain) pump();
    return queued < HIGH_WATER;
  } as typeof res.write;

  res.end = function end(chunk?: unknown, enc?: unknown, cb?: unknown): ServerResponse {
    const callback = [chunk, enc, cb].find((x) => typeof x === 'function') as (() => void) | undefined;
    if (stopped) return res;
    if (chunk !== undefined && chunk !== null && typeof chunk !== 'function') {
      const buf = toBuffer(chunk, typeof enc === 'function' ? undefined : enc);
      if (buf.length > 0) {
        pending.push({ buf });
        queued += buf.length;
      }
    }
    ending = { cb: callback };
    if (!timer && !waitingDrain) pump();
    return res;
  } as typeof res.end;

  res.once('close', () => {
    if (timer) clearTimeout(timer);
    stopped = true;
  });
  return meter;
}

function toBuffer(chunk: unknown, enc: unknown): Buffer {
  if (Buffer.isBuffer(chunk)) return chunk;
  if (chunk instanceof Uint8Array) return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  return Buffer.from(String(chunk), typeof enc === 'string' ? (enc as BufferEncoding) : 'utf8');
}

function byteLength(chunk: unknown, enc: unknown): number {
  if (chunk instanceof Uint8Array) return chunk.byteLength;
  if (typeof chunk === 'string') return Buffer.byteLength(chunk, typeof enc === 'string' ? (enc as BufferEncoding) : 'utf8');
  return 0;
}
