import type { VerifyCode } from '@latchkey/schema';
import { LRUCache } from 'lru-cache';
import type { Logger } from '../infra/logger';
import type { AdaptiveLimiting } from '../orgs/org-policy';
import type { VerifySignal } from '../verify/verify-signals';

/** Codes that count as a key misbehaving (not: unknown keys, which have no key). */
const ERROR_CODES: ReadonlySet<VerifyCode> = new Set<VerifyCode>([
  'RATE_LIMITED', 'QUOTA_EXCEEDED', 'CONCURRENCY_LIMITED', 'PAYLOAD_TOO_LARGE', 'INSUFFICIENT_PERMISSIONS',
  'FORBIDDEN_IP', 'FORBIDDEN_REFERRER', 'FORBIDDEN_COUNTRY', 'WRONG_ENVIRONMENT',
]);

export interface AdaptiveDeps {
  logger: Logger;
  policyOf(orgId: string): Promise<AdaptiveLimiting>;
  getFactor(keyId: string): Promise<number>;
  setFactor(keyId: string, factor: number, ttlSeconds: number): Promise<void>;
}

interface Window {
  orgId: string;
  total: number;
  errors: number;
}

/**
 * Adaptive limiting (ISSUE 5): per evaluation window, a key whose error share (verify
 * denials, and 5xx responses its calls caused as reported through /v1/usage) is above
 * its organization's threshold has its limit factor halved, down to `minFactor`; a key
 * below half the threshold has it doubled back towards 1. The factor lives in Redis
 * (read inside the limiter's Lua script), so every node enforces it. Each node judges
 * from its own share of the traffic: the error *rate* is the same on every node.
 */
export class AdaptiveLimiter {
  private windows = new Map<string, Window>();
  private timer: NodeJS.Timeout | undefined;
  /** Each organization's policy for a minute; bounded by organizations seen. */
  private readonly policies = new LRUCache<string, AdaptiveLimiting>({ max: 10_000, ttl: 60_000 });

  constructor(private readonly deps: AdaptiveDeps, private readonly windowMs = 30_000) {}

  start(): void {
    this.timer ??= setInterval(() => void this.evaluate(), this.windowMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Signal consumer: counts outcomes per key. */
  observe = (batch: readonly VerifySignal[]): void => {
    for (const s of batch) {
      if (!s.keyId || !s.orgId || s.reportOnly) continue;
      let w = this.windows.get(s.keyId);
      if (!w) {
        if (this.windows.size >= 100_000) continue; // bounded: judge the keys already seen
        w = { orgId: s.orgId, total: 0, errors: 0 };
        this.windows.set(s.keyId, w);
      }
      w.total++;
      if (ERROR_CODES.has(s.code) || (s.status !== undefined && s.status >= 500)) w.errors++;
    }
  };

  /** Closes the window: adjusts factors. Exposed for tests. */
  async evaluate(): Promise<void> {
    const windows = this.windows;
    this.windows = new Map();
    for (const [keyId, w] of windows) {
      try {
        const policy = await this.policy(w.orgId);
        if (!policy.enabled) continue;
        const current = await this.deps.getFactor(keyId);
        const next = nextFactor(current, w, policy);
        if (next !== current) {
          await this.deps.setFactor(keyId, next, Math.ceil((this.windowMs * 4) / 1000));
          this.deps.logger.info({ keyId, from: current, to: next, errors: w.errors, total: w.total }, 'adaptive limit factor changed');
        }
      } catch (err) {
        this.deps.logger.warn({ err, keyId }, 'adaptive limiting evaluation failed');
      }
    }
  }

  private async policy(orgId: string): Promise<AdaptiveLimiting> {
    const hit = this.policies.get(orgId);
    if (hit) return hit;
    const policy = await this.deps.policyOf(orgId);
    this.policies.set(orgId, policy);
    return policy;
  }
}

/** The factor after one window: halve when failing, double when healthy, else keep. */
export function nextFactor(current: number, w: { total: number; errors: number }, p: AdaptiveLimiting): number {
  if (w.total < p.minRequests) return current < 1 ? Math.min(1, current * 2) : current;
  const rate = w.errors / w.total;
  if (rate > p.errorRateThreshold) return Math.max(p.minFactor, Math.round(current * 0.5 * 1000) / 1000);
  if (rate < p.errorRateThreshold / 2 && current < 1) return Math.min(1, current * 2);
  return current;
}
