import type { IncomingMessage } from 'node:http';
import type { LatchkeyError } from '../errors';
import { quotaExceededError, type KeyBandwidth } from './bandwidth';

export interface RequestMeter {
  readonly bytes: number;
  readonly error?: LatchkeyError;
}

/**
 * Counts (and with an upload limit, throttles) a Node request body without touching
 * how it is read. Data reaches `req` through `req.push()` from the HTTP parser;
 * wrapping it lets body parsers read `req` as usual. While pieces wait for the bucket
 * `push` answers false, which makes Node stop reading the socket, so a fast client is
 * slowed by TCP backpressure instead of being buffered in memory. When the daily byte
 * quota runs out the body stops with a QUOTA_EXCEEDED error (status 429) emitted on
 * `req`, which body parsers pass to the framework's error handling.
 */
export function meterRequest(req: IncomingMessage, bw: KeyBandwidth | undefined, onStop: (err: LatchkeyError) => void): RequestMeter {
  const meter: { bytes: number; error?: LatchkeyError } = { bytes: 0 };
  const rawPush = req.push.bind(req) as (chunk: unknown, enc?: BufferEncoding) => boolean;
  const bucket = bw?.up;
  const limited = Boolean(bw && (bucket || bw.remaining() !== Infinity));

  if (!limited) {
    req.push = (chunk: unknown, enc?: BufferEncoding) => {
      if (chunk instanceof Uint8Array) meter.bytes += chunk.byteLength;
      return rawPush(chunk, enc);
    };
    return meter;
  }

  const piece = bucket?.pieceSize() ?? 64 * 1_024;
  const queue: (Buffer | null)[] = [];
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  const pump = () => {
    timer = undefined;
    while (!stopped && queue.length > 0) {
      const head = queue[0];
      if (head === null || head === undefined) {
        queue.shift();
        rawPush(null);
        return;
      }
      const n = Math.min(piece, head.length);
      const fit = bw ? bw.consume(n) : n;
      if (fit < n) {
        stopped = true;
        queue.length = 0;
        meter.error = quotaExceededError('upload', meter.bytes + fit);
        onStop(meter.error);
        req.emit('error', meter.error);
        return;
      }
      const wait = bucket ? bucket.reserve(n) : 0;
      const out = head.subarray(0, n);
      const rest = head.subarray(n);
      if (rest.length > 0) queue[0] = rest;
      else queue.shift();
      const send = () => {
        meter.bytes += n;
        rawPush(out);
      };
      if (wait > 1) {
        timer = setTimeout(() => {
          if (stopped || req.destroyed) return;
          send();
          pump();
        }, wait);
        return;
      }
      send();
    }
  };

  req.push = (chunk: unknown, enc?: BufferEncoding) => {
    if (stopped) return false;
    queue.push(chunk === null ? null : Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string, enc));
    if (!timer) pump();
    // false while pieces wait: Node pauses the socket until the body is read on.
    return queue.length === 0;
  };
  req.once('close', () => {
    if (timer) clearTimeout(timer);
  });
  return meter;
}
