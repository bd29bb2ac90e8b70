import type { Redis } from 'ioredis';
import { LRUCache } from 'lru-cache';
import { Topic, type RateLimitEventMessage, type UsageTickMessage } from '@latchkey/schema';
import type { Logger } from '../infra/logger';
import type { RedisPubSub } from '../infra/pubsub';
import type { VerifySignal } from '../verify/verify-signals';
import { TICK_MS, type UsageKeys } from './usage-keys';

const LIMIT_CODES = new Set(['RATE_LIMITED', 'QUOTA_EXCEEDED', 'CONCURRENCY_LIMITED']);
/** At most one rate-limit event per key per this many ms, across every node. */
export const RATE_LIMIT_EVENT_EVERY_MS = 1_000;
/** A tick is published this long after it closes, so the last signal buffers have flushed. */
const TICK_PUBLISH_DELAY_MS = 1_500;
/** Keys tracked at once for throttling; beyond it the least recently denied are forgotten. */
const TRACKED_KEYS = 100_000;

/**
 * The realtime feeds that are not alerts: rate-limit events (throttled per key) and
 * per-organization usage ticks. Every node counts into shared Redis hashes; for each
 * tick interval exactly one node (SET NX claim) publishes one message per active
 * organization, so subscribers see the whole deployment's traffic whichever node
 * they are connected to.
 */
export class RealtimePublisher {
  private timer: NodeJS.Timeout | undefined;
  private lastTick = 0;
  /** Denials seen but not yet announced (throttled), per key and code. */
  private readonly pending = new LRUCache<string, { orgId: string; keyId: string; code: RateLimitEventMessage['code']; count: number }>({ max: TRACKED_KEYS });
  private readonly lastSent = new LRUCache<string, number>({ max: TRACKED_KEYS });

  constructor(
    private readonly deps: { redis: Redis; pubsub: RedisPubSub; keys: UsageKeys; logger: Logger },
  ) {}

  start(): void {
    this.timer ??= setInterval(() => void this.publishTicks().catch((err: unknown) => this.deps.logger.debug({ err }, 'usage tick not published')), 1_000);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  async onSignals(batch: readonly VerifySignal[]): Promise<void> {
    for (const s of batch) {
      if (!LIMIT_CODES.has(s.code) || !s.keyId || !s.orgId) continue;
      const id = `${s.keyId}|${s.code}`;
      const p = this.pending.get(id);
      if (p) p.count++;
      else this.pending.set(id, { orgId: s.orgId, keyId: s.keyId, code: s.code as RateLimitEventMessage['code'], count: 1 });
    }
    if (this.pending.size === 0) return;
    const now = Date.now();
    const due = [...this.pending].filter(([, p]) => now - (this.lastSent.get(p.keyId) ?? 0) >= RATE_LIMIT_EVENT_EVERY_MS);
    if (due.length === 0) return;
    const claims = this.deps.redis.pipeline();
    for (const [, p] of due) claims.set(`${this.deps.keys.prefix}:u:rle:{${p.keyId}}:${p.code}`, '1', 'PX', RATE_LIMIT_EVENT_EVERY_MS, 'NX');
    const res = (await claims.exec()) ?? [];
    for (const [i, [id, p]] of due.entries()) {
      if (res[i]?.[1] !== 'OK') continue; // another node announced this key within the second
      this.pending.delete(id);
      this.lastSent.set(p.keyId, now);
      const msg: RateLimitEventMessage = { orgId: p.orgId, keyId: p.keyId, code: p.code, count: p.count, at: now };
      await this.deps.pubsub.publish(Topic.rateLimitEvent(p.orgId), msg);
    }
  }

  /** Publishes every closed, unpublished tick this node wins the claim for. */
  async publishTicks(now = Date.now()): Promise<number> {
    const t = Math.floor((now - TICK_PUBLISH_DELAY_MS) / TICK_MS) - 1;
    if (t <= this.lastTick) return 0;
    this.lastTick = t;
    const { redis, keys, pubsub } = this.deps;
    const won = await redis.set(keys.tickClaim(t), '1', 'PX', 10 * TICK_MS, 'NX');
    if (won !== 'OK') return 0;
    const raw = await redis.hgetall(keys.tick(t));
    const perOrg = new Map<string, Record<string, number>>();
    for (const [f, v] of Object.entries(raw)) {
      const bar = f.lastIndexOf('|');
      const orgId = f.slice(0, bar);
      const rec = perOrg.get(orgId) ?? {};
      rec[f.slice(bar + 1)] = Number(v) || 0;
      perOrg.set(orgId, rec);
    }
    for (const [orgId, c] of perOrg) {
      const msg: UsageTickMessage = {
        orgId,
        from: t * TICK_MS,
        intervalMs: TICK_MS,
        requests: c.r ?? 0,
        valid: c.v ?? 0,
        denied: c.d ?? 0,
        rateLimited: c.rl ?? 0,
        at: Date.now(),
      };
      await pubsub.publish(Topic.usageTick(orgId), msg);
    }
    return perOrg.size;
  }
}
