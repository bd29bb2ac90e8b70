import { randomUUID } from 'node:crypto';
import { LatchkeyError } from './errors';
import { postJson, type HttpOptions } from './http';

/** One report of `POST /v1/usage` (server/src/usage/usage-ingest.ts). */
export interface UsageReport {
  id: string;
  keyId?: string;
  key?: string;
  /** Epoch milliseconds or ISO date-time. */
  at: number | string;
  status: number;
  latencyMs: number;
  bytesIn?: number;
  bytesOut?: number;
  costs?: Record<string, number>;
  leaseId?: string;
  ip?: string;
  resource?: string;
  action?: string;
  code?: string;
}

/** What `POST /v1/usage` answers for one batch. */
interface UsageBatchReply {
  accepted?: number;
  duplicates?: number;
  rejected?: unknown[];
  error?: { code: string; message: string };
}

export interface UsageReporterOptions {
  /** Reports waiting at most (default 10 000): beyond it new reports are dropped and counted. */
  maxQueue?: number;
  /** Reports per POST (default 500, server maximum 1 000). */
  batchSize?: number;
  /** Flush at least this often (default 2 000 ms). */
  flushIntervalMs?: number;
  onError?(err: unknown): void;
}

export interface UsageReporterStats {
  queued: number;
  sent: number;
  accepted: number;
  duplicates: number;
  rejected: number;
  dropped: number;
  failedBatches: number;
}

const SERVER_MAX_BATCH = 1_000;

/**
 * Batches usage reports to POST /v1/usage. Sending never blocks a request: `report()`
 * only enqueues. A failed batch goes back to the front of the queue (report ids make
 * the retry exactly-once on the server) as far as the bound allows.
 */
export class UsageReporter {
  private queue: UsageReport[] = [];
  private timer?: NodeJS.Timeout;
  private flushing?: Promise<void>;
  private closed = false;
  readonly stats: UsageReporterStats = { queued: 0, sent: 0, accepted: 0, duplicates: 0, rejected: 0, dropped: 0, failedBatches: 0 };
  private readonly maxQueue: number;
  private readonly batchSize: number;

  constructor(
    private readonly http: HttpOptions,
    private readonly opts: UsageReporterOptions = {},
  ) {
    this.maxQueue = opts.maxQueue ?? 10_000;
    this.batchSize = Math.min(SERVER_MAX_BATCH, Math.max(1, opts.batchSize ?? 500));
    this.timer = setInterval(() => void this.flush(), opts.flushIntervalMs ?? 2_000);
    // A reporter alone must not keep a process alive; close() sends what is left.
    this.timer.unref();
  }

  /** Enqueues one report (an id is made when missing). Returns false when it was dropped. */
  report(r: Omit<UsageReport, 'id'> & { id?: string }): boolean {
    if (this.closed || this.queue.length >= this.maxQueue) {
      this.stats.dropped++;
      return false;
    }
    this.queue.push({ ...r, id: r.id ?? `rep_${randomUUID()}` });
    this.stats.queued = this.queue.length;
    if (this.queue.length >= this.batchSize) void this.flush();
    return true;
  }

  /** Sends everything queued now; concurrent calls share one run. */
  flush(): Promise<void> {
    this.flushing ??= this.drain().finally(() => {
      this.flushing = undefined;
    });
    return this.flushing;
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.batchSize);
      try {
        const res = await postJson<UsageBatchReply>(this.http, '/v1/usage', { reports: batch });
        if (res.status !== 200) {
          // A malformed batch will never be accepted: drop it rather than retry forever.
          this.stats.rejected += batch.length;
          const reason = `usage batch refused (${res.status}): ${res.body.error?.message ?? ''}`;
          throw new LatchkeyError(res.body.error?.code ?? 'BAD_RESPONSE', reason, { status: res.status, details: res.body });
        }
        this.stats.sent += batch.length;
        this.stats.accepted += res.body.accepted ?? 0;
        this.stats.duplicates += res.body.duplicates ?? 0;
        this.stats.rejected += res.body.rejected?.length ?? 0;
      } catch (e) {
        this.stats.failedBatches++;
        if (e instanceof LatchkeyError && e.transient) {
          const room = Math.max(0, this.maxQueue - this.queue.length);
          this.stats.dropped += batch.length - Math.min(room, batch.length);
          this.queue.unshift(...batch.slice(0, room));
          this.stats.queued = this.queue.length;
          this.opts.onError?.(e);
          return;
        }
        this.opts.onError?.(e);
      } finally {
        this.stats.queued = this.queue.length;
      }
    }
  }

  /** Stops the timer and sends what is queued (one attempt per batch). Safe to call twice. */
  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.flushing;
    await this.flush();
    this.closed = true;
  }
}
