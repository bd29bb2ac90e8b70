import { LatchkeyError } from '../errors';
import type { BandwidthLimits } from '../verification';
import { TokenBucket } from './token-bucket';

/** Rates and the daily budget of one key, shared by every stream of that key in this process. */
export class KeyBandwidth {
  down?: TokenBucket;
  up?: TokenBucket;
  private day = utcDay();
  private usedToday = 0;
  private dailyLimit?: number;
  private serverBaseline?: number;
  private usedSinceBaseline = 0;

  apply(limits: BandwidthLimits): void {
    if (limits.downloadBytesPerSecond !== this.down?.bytesPerSecond) this.down = limits.downloadBytesPerSecond ? new TokenBucket(limits.downloadBytesPerSecond) : undefined;
    if (limits.uploadBytesPerSecond !== this.up?.bytesPerSecond) this.up = limits.uploadBytesPerSecond ? new TokenBucket(limits.uploadBytesPerSecond) : undefined;
    this.dailyLimit = limits.bytesPerDay;
    if (limits.bytesRemainingToday !== undefined) {
      this.serverBaseline = limits.bytesRemainingToday;
      this.usedSinceBaseline = 0;
    }
  }

  /** Bytes that may still move today (Infinity without a daily limit). */
  remaining(): number {
    this.rollover();
    let r = Infinity;
    if (this.dailyLimit !== undefined) r = Math.min(r, this.dailyLimit - this.usedToday);
    if (this.serverBaseline !== undefined) r = Math.min(r, this.serverBaseline - this.usedSinceBaseline);
    return Math.max(0, r);
  }

  /** Counts `n` bytes against today's budget; returns how many of them fit. */
  consume(n: number): number {
    const fit = Math.min(n, this.remaining());
    this.usedToday += fit;
    this.usedSinceBaseline += fit;
    return fit;
  }

  private rollover(): void {
    const d = utcDay();
    if (d === this.day) return;
    this.day = d;
    this.usedToday = 0;
    this.serverBaseline = undefined;
    this.usedSinceBaseline = 0;
  }
}

/** Per-key bandwidth state, bounded so a flood of distinct keys cannot grow it forever. */
export class BandwidthRegistry {
  private readonly keys = new Map<string, KeyBandwidth>();

  constructor(private readonly maxKeys = 10_000) {}

  for(keyId: string, limits: BandwidthLimits): KeyBandwidth {
    let k = this.keys.get(keyId);
    if (k) this.keys.delete(keyId);
    else {
      if (this.keys.size >= this.maxKeys) {
        const oldest = this.keys.keys().next().value;
        if (oldest !== undefined) this.keys.delete(oldest);
      }
      k = new KeyBandwidth();
    }
    this.keys.set(keyId, k);
    k.apply(limits);
    return k;
  }
}

export function quotaExceededError(direction: 'download' | 'upload', moved: number): LatchkeyError {
  return new LatchkeyError('QUOTA_EXCEEDED', `daily byte quota of this API key ran out during the ${direction} after ${moved} bytes; it resets at 00:00 UTC`, {
    status: 429,
    details: { dimension: 'bytes', direction, bytes: moved },
  });
}

/** Bandwidth limits from the answer (when the server sends them) over the configured ones. */
export function effectiveLimits(fromAnswer: BandwidthLimits | undefined, configured: BandwidthLimits | undefined): BandwidthLimits | undefined {
  if (!fromAnswer && !configured) return undefined;
  const merged = { ...configured, ...stripUndefined(fromAnswer ?? {}) };
  const any = merged.downloadBytesPerSecond || merged.uploadBytesPerSecond || merged.bytesPerDay !== undefined || merged.bytesRemainingToday !== undefined;
  return any ? merged : undefined;
}

function stripUndefined(o: BandwidthLimits): BandwidthLimits {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== null)) as BandwidthLimits;
}

function utcDay(): string {
  return new Date().toISOString().slice(0, 10);
}
