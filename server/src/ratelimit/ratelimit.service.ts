import { randomBytes } from 'node:crypto';
import type { Cluster, Redis } from 'ioredis';
import { buildArgs, clampLeaseTtl, compileLimits, type CompiledLimits } from './key-limits';
import { decodeReply } from './limit-result';
import { LuaScript } from '../infra/lua-script';
import type { CheckRequest, LimitResult, LimitStatus } from './limits';
import type { KeyLimits } from '../keys/key-limits';

const CHECK = new LuaScript('check-4.lua', __dirname);
const RENEW = new LuaScript('renew-lease-1.lua', __dirname);

export interface RateLimiterOptions {
  /** Lifetime of the per-minute usage hashes the analytics job drains (default 26 h). */
  usageTtlSeconds?: number;
  /**
   * Test-only: epoch ms the script uses instead of Redis TIME, so a test can replay hours of
   * sliding windows in milliseconds. Unset in production, where Redis time is the clock.
   */
  clock?: () => number;
}

// Lease ids: a random per-process part plus a counter is unique across nodes without
// paying for randomBytes on every request.
const LEASE_NODE = randomBytes(6).toString('base64url');
let leaseSeq = 0;
const nextLeaseId = (): string => `lse_${LEASE_NODE}${(++leaseSeq).toString(36)}`;

/**
 * Every limit of one key, checked and consumed in one Redis round trip (check-4.lua).
 * Redis keys are `<prefix>:{<keyId>}:…`: one hash tag per API key, so it runs on
 * Redis Cluster. See docs/RATE-LIMITING.md.
 */
export class RateLimiter {
  private readonly usageTtl: number;
  private readonly clock?: () => number;

  constructor(
    private readonly redis: Redis | Cluster,
    private readonly prefix: string,
    opts: RateLimiterOptions = {},
  ) {
    if (/[{}]/.test(prefix)) throw new Error('rate limiter prefix must not contain { or }');
    this.usageTtl = Math.max(60, Math.floor(opts.usageTtlSeconds ?? 26 * 3600));
    this.clock = opts.clock;
  }

  /** Checks every limit; consumes all of them when allowed and nothing when denied. */
  async check(keyId: string, limits: KeyLimits, req: CheckRequest = {}): Promise<LimitResult> {
    const c = compileLimits(limits);
    if (c.maxPayloadBytes !== undefined && (req.bytes ?? 0) > c.maxPayloadBytes) return payloadTooLarge(c.maxPayloadBytes);
    const leaseId = req.acquireLease && c.hasConcurrency ? nextLeaseId() : '';
    const args = buildArgs(c, 0, this.usageTtl, req, leaseId, clampLeaseTtl(req.leaseTtlMs), this.now());
    const reply = (await CHECK.run(this.redis, this.keys(keyId), args)) as number[];
    return decodeReply(reply, c, leaseId);
  }

  /** Current state of every limit, without consuming or counting anything. */
  async status(keyId: string, limits: KeyLimits): Promise<LimitStatus> {
    const c: CompiledLimits = compileLimits(limits);
    const reply = (await CHECK.run(this.redis, this.keys(keyId), buildArgs(c, 1, this.usageTtl, {}, '', 0, this.now()))) as number[];
    const { limit, remaining, resetMs, policy, policies } = decodeReply(reply, c, '');
    return { limit, remaining, resetMs, policy, policies };
  }

  /**
   * Charges after-the-fact dimension costs (POST /v1/usage): the work already happened,
   * so they always count, even past the limit — the next check is what gets denied.
   * Same script and state as `check` (mode 2); request windows, burst, credits,
   * bytes and the per-minute outcome counters are left alone. `withinLimits` is false
   * when this charge took a dimension past its limit.
   */
  async consume(keyId: string, limits: KeyLimits, costs: Record<string, number>): Promise<{ withinLimits: boolean }> {
    const c = compileLimits(limits);
    if (c.dimensions.length === 0) return { withinLimits: true };
    const args = buildArgs(c, 2, this.usageTtl, { cost: 0, bytes: 0, costs }, '', 0, this.now());
    const reply = (await CHECK.run(this.redis, this.keys(keyId), args)) as number[];
    return { withinLimits: reply[0] === 1 };
  }

  /**
   * Extends a held concurrency lease (long-lived streams and websockets renew before
   * the TTL runs out); null when it had already expired or been released.
   */
  async renew(keyId: string, leaseId: string, ttlMs?: number): Promise<Date | null> {
    const exp = Number(await RENEW.run(this.redis, [this.key(keyId, 'cc')], [leaseId, clampLeaseTtl(ttlMs)]));
    return exp > 0 ? new Date(exp) : null;
  }

  /** Frees a concurrency slot; false when the lease had already expired or been released. */
  async release(keyId: string, leaseId: string): Promise<boolean> {
    return (await this.redis.zrem(this.key(keyId, 'cc'), leaseId)) === 1;
  }

  /**
   * Scales the key's rate limits (windows, burst, concurrency, dimensions; not bytes or
   * credits) by `factor` (0.1..1) for `ttlSeconds`; 1 removes it.
   */
  async setAdaptiveFactor(keyId: string, factor: number, ttlSeconds: number): Promise<void> {
    const key = this.key(keyId, 'adapt');
    if (!(factor < 1)) {
      await this.redis.del(key);
      return;
    }
    const f = Math.max(0.1, factor);
    await this.redis.set(key, String(Math.round(f * 1000) / 1000), 'EX', Math.max(1, Math.ceil(ttlSeconds)));
  }

  /** The factor currently scaling the key's limits (1 when none). */
  async getAdaptiveFactor(keyId: string): Promise<number> {
    const v = await this.redis.get(this.key(keyId, 'adapt'));
    const f = v === null ? 1 : Number(v);
    return Number.isFinite(f) && f > 0 && f <= 1 ? f : 1;
  }

  /** Where the analytics job finds outcome counts of one key for one minute (epoch minutes). */
  usageKey(keyId: string, minute: number): string {
    return this.key(keyId, `u:${minute}`);
  }

  /** '' tells the script to read Redis TIME. */
  private now(): number | '' {
    return this.clock ? this.clock() : '';
  }

  private key(keyId: string, suffix: string): string {
    return `${this.prefix}:{${keyId}}:${suffix}`;
  }

  private keys(keyId: string): string[] {
    const tagged = `${this.prefix}:{${keyId}}:`;
    // The usage minute comes from this node's clock: it only names an analytics bucket.
    const minute = Math.floor(Date.now() / 60_000);
    return [`${tagged}rl`, `${tagged}cc`, `${tagged}adapt`, `${tagged}u:${minute}`];
  }
}

function payloadTooLarge(max: number): LimitResult {
  return {
    allowed: false,
    code: 'PAYLOAD_TOO_LARGE',
    dimension: 'payload',
    policy: 'payload',
    limit: max,
    remaining: 0,
    resetMs: 0,
    policies: [],
  };
}
