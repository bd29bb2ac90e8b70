import type { VerifyCode } from '@latchkey/schema';
import type { Logger } from '../infra/logger';

/** One fact the verify path noticed, for analytics and security monitoring. */
export interface VerifySignal {
  at: number;
  code: VerifyCode;
  orgId?: string;
  keyId?: string;
  ip?: string;
  country?: string;
  /** A report-only restriction that would have denied. */
  reportOnly?: 'ip' | 'referrer' | 'country';
  /** Emergency keys are audited and alerted on every use. */
  emergency?: boolean;
  /** The key was presented in the query string (discouraged). */
  queryParam?: boolean;
  resource?: string;
  action?: string;
  /** Metered-dimension costs a VALID request consumed (analytics and billing). */
  costs?: Record<string, number>;
  /** HTTP status the protected service answered (from POST /v1/usage reports). */
  status?: number;
}

export type SignalConsumer = (batch: readonly VerifySignal[]) => Promise<void> | void;

/**
 * Keeps signals off the hot path: `push` is O(1) into a bounded buffer, a timer hands
 * batches to the consumers. When the buffer is full the newest signals are dropped
 * and counted — never silently (the count is logged and exported as a metric).
 */
export class SignalBuffer {
  private buf: VerifySignal[] = [];
  private readonly consumers: SignalConsumer[] = [];
  private timer: NodeJS.Timeout | undefined;
  /** The batch being handed to the consumers, if any: one at a time, in order. */
  private running: Promise<void> | null = null;
  dropped = 0;
  flushed = 0;
  failedBatches = 0;

  constructor(
    private readonly logger: Logger,
    private readonly opts: { maxBuffered: number; flushEveryMs: number } = { maxBuffered: 50_000, flushEveryMs: 1_000 },
  ) {}

  start(): void {
    // A tick while a batch is still in flight (a slow consumer, Redis away) is skipped, so
    // waiting flushes cannot pile up; the next tick takes everything buffered meanwhile.
    this.timer ??= setInterval(() => {
      if (!this.running) void this.flush();
    }, this.opts.flushEveryMs);
    this.timer.unref();
  }

  onBatch(consumer: SignalConsumer): void {
    this.consumers.push(consumer);
  }

  push(s: VerifySignal): void {
    if (this.buf.length >= this.opts.maxBuffered) {
      this.dropped++;
      return;
    }
    this.buf.push(s);
  }

  /**
   * Hands everything buffered to the consumers. Waits first for a batch already in
   * flight, so when it returns every signal pushed before the call has been consumed
   * (a test's or stop()'s flush used to return at once while the timer's batch was still
   * being written, and a fold right after missed it).
   */
  async flush(): Promise<void> {
    while (this.running) await this.running;
    if (this.buf.length === 0) return;
    this.running = this.drain().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async drain(): Promise<void> {
    const batch = this.buf;
    this.buf = [];
    for (const c of this.consumers) {
      try {
        await c(batch);
      } catch (err) {
        this.failedBatches++;
        this.logger.warn({ err, size: batch.length }, 'signal consumer failed; batch counted as failed');
      }
    }
    this.flushed += batch.length;
    if (this.dropped > 0) {
      this.logger.warn({ dropped: this.dropped }, 'verify signals dropped because the buffer was full');
    }
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.flush();
  }
}
