import type { LatchkeyError } from '../errors';
import { quotaExceededError, type KeyBandwidth } from './bandwidth';
import type { TokenBucket } from './token-bucket';

export interface StreamMeter {
  readonly bytes: number;
  readonly error?: LatchkeyError;
  /** Resolves when the stream ended, failed or was cancelled. */
  readonly done: Promise<void>;
}

/**
 * Wraps a web ReadableStream (Next.js route handler bodies) so bytes are counted and,
 * with a bucket, released in small timed pieces. Pull-based: nothing is read from the
 * source before the consumer asks, so backpressure is the stream's own. When the daily
 * quota runs out the stream errors with QUOTA_EXCEEDED and the source is cancelled.
 */
export function meterWebStream(
  source: ReadableStream<Uint8Array>,
  direction: 'download' | 'upload',
  bw: KeyBandwidth | undefined,
  onStop: (err: LatchkeyError) => void,
): { stream: ReadableStream<Uint8Array>; meter: StreamMeter } {
  const bucket: TokenBucket | undefined = direction === 'download' ? bw?.down : bw?.up;
  const piece = bucket?.pieceSize() ?? Number.MAX_SAFE_INTEGER;
  const reader = source.getReader();
  let carry: Uint8Array | undefined;
  let finish: () => void = () => undefined;
  const meter: { bytes: number; error?: LatchkeyError; done: Promise<void> } = { bytes: 0, done: new Promise<void>((r) => (finish = r)) };

  const stream = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (!carry || carry.byteLength === 0) {
          const r = await reader.read();
          if (r.done) {
            controller.close();
            finish();
            return;
          }
          carry = r.value;
        }
        const n = Math.min(piece, carry.byteLength);
        const fit = bw ? bw.consume(n) : n;
        if (fit < n) {
          meter.error = quotaExceededError(direction, meter.bytes + fit);
          onStop(meter.error);
          if (fit > 0) controller.enqueue(carry.subarray(0, fit));
          controller.error(meter.error);
          await reader.cancel(meter.error).catch(() => undefined);
          finish();
          return;
        }
        const out = carry.subarray(0, n);
        carry = carry.subarray(n);
        const wait = bucket ? bucket.reserve(n) : 0;
        if (wait > 1) await new Promise((r) => setTimeout(r, wait));
        meter.bytes += n;
        controller.enqueue(out);
      },
      async cancel(reason) {
        await reader.cancel(reason).catch(() => undefined);
        finish();
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, meter };
}
