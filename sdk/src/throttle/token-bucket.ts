import { performance } from 'node:perf_hooks';

/**
 * A byte-rate limiter in GCRA form (a token bucket expressed as a "theoretical
 * arrival time"). `reserve(n)` books n bytes and says how long to wait before sending
 * them. Time is read from the monotonic clock on every call, so a timer that fires
 * late (a busy CPU) makes the next wait shorter rather than adding up: the average
 * rate holds even when individual timers slip.
 */
export class TokenBucket {
  private tat: number;
  /** Bytes that may go out at once after an idle period. */
  readonly burstBytes: number;

  constructor(
    readonly bytesPerSecond: number,
    burstBytes?: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    if (!(bytesPerSecond > 0) || !Number.isFinite(bytesPerSecond)) throw new RangeError('bytesPerSecond must be a positive finite number');
    // 50 ms worth of bytes by default: small enough that the flow looks smooth.
    this.burstBytes = Math.max(1, Math.floor(burstBytes ?? bytesPerSecond / 20));
    this.tat = this.now();
  }

  /** Books `n` bytes; returns the milliseconds to wait before sending them (0 = now). */
  reserve(n: number): number {
    const now = this.now();
    const tolerance = (this.burstBytes * 1000) / this.bytesPerSecond;
    const start = Math.max(now, this.tat - tolerance);
    this.tat = Math.max(this.tat, now) + (n * 1000) / this.bytesPerSecond;
    return start - now;
  }

  /**
   * How many bytes to send per step: about 20 ms of the rate, so a 1 MB/s stream goes
   * out as ~20 KB pieces 50 times a second instead of one burst per second.
   */
  pieceSize(): number {
    return Math.max(1_024, Math.min(64 * 1_024, Math.floor(this.bytesPerSecond / 50)));
  }
}
