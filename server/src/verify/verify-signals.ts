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
  dropped = 0;
  flushed = 0;
  failedBatches = 0;

  constructor(
    private readonly logger: Logger,
    private readonly opts: { maxBuffered: number; flushEveryMs: number } = { maxBuffered: 50_000, flushEveryMs: 1_000 },
  ) {}

  start(): void {
    this.timer ??= setInterval(() => void this.flush(), this.opts.flushEveryMs);
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

  async flush(): Promise<void> {
    if (this.buf.length === 0) return;
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
