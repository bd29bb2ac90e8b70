import { LRUCache } from 'lru-cache';
import { compileLimits, clampLeaseTtl, type Component } from './key-limits';
import { mostRestrictive } from './limit-result';
import type { CheckRequest, LimitPolicy, LimitResult } from './limits';
import type { KeyLimits } from '../keys/key-limits';

/**
 * The in-process limiter the verify pipeline uses while Redis is unreachable
 * (REDIS_DOWN_POLICY=fail_open_local_limits). Conservative by construction: every
 * limit is divided by the number of nodes assumed to share the traffic, windows are
 * fixed (not sliding), and state is per process. Credits are not enforced (the balance
 * lives in Redis) and nothing is reconciled when Redis comes back. Memory is bounded:
 * at most `maxKeys` keys, least recently used evicted first.
 */
export interface LocalLimiterOptions {
  /** Nodes assumed to share one key's traffic; each gets limit / nodeCount (default 2). */
  nodeCount?: number;
  /** Keys tracked at most (default 10,000). */
  maxKeys?: number;
  /** Injectable clock for tests. */
  now?: () => number;
}

interface KeyState {
  windows: Map<string, { start: number; used: number }>;
  burst?: { tokens: number; at: number };
  leases: Map<string, number>;
}

let localLeaseSeq = 0;

export class LocalLimiter {
  private readonly keys: LRUCache<string, KeyState>;
  private readonly nodeCount: number;
  private readonly now: () => number;

  constructor(opts: LocalLimiterOptions = {}) {
    this.nodeCount = Math.max(1, Math.floor(opts.nodeCount ?? 2));
    this.keys = new LRUCache({ max: Math.max(1, Math.floor(opts.maxKeys ?? 10_000)) });
    this.now = opts.now ?? Date.now;
  }

  get size(): number {
    return this.keys.size;
  }

  check(keyId: string, limits: KeyLimits, req: CheckRequest = {}): LimitResult {
    const c = compileLimits(limits);
    if (c.maxPayloadBytes !== undefined && (req.bytes ?? 0) > c.maxPayloadBytes) {
      return { allowed: false, code: 'PAYLOAD_TOO_LARGE', dimension: 'payload', policy: 'payload', limit: c.maxPayloadBytes, remaining: 0, resetMs: 0, policies: [] };
    }
    const now = this.now();
    const s = this.state(keyId);
    const cost = req.cost === undefined ? 1 : Math.max(0, Math.ceil(req.cost));
    const wantLease = !!req.acquireLease && c.hasConcurrency;
    for (const [id, exp] of s.leases) if (exp <= now) s.leases.delete(id);

    // Check everything first, apply only when all pass.
    const comps = c.components.filter((x) => x.kind !== 'credits');
    const policies: LimitPolicy[] = [];
    const resets: number[] = [];
    const used: number[] = [];
    const costs: number[] = [];
    let failed = -1;
    let failedRetry: number | undefined;
    for (const comp of comps) {
      const quota = this.share(comp.limit);
      let inUse: number;
      let resetMs: number;
      let k = 0;
      if (comp.kind === 'concurrency') {
        inUse = s.leases.size;
        k = wantLease ? 1 : 0;
        resetMs = 0;
      } else if (comp.kind === 'burst') {
        const b = s.burst ?? { tokens: quota, at: now };
        const tokens = Math.min(quota, b.tokens + ((now - b.at) * quota) / comp.windowMs);
        inUse = quota - tokens;
        k = cost;
        resetMs = quota > 0 ? Math.ceil((inUse * comp.windowMs) / quota) : 0;
      } else {
        const w = s.windows.get(comp.tag ?? comp.name);
        const start = Math.floor(now / comp.windowMs) * comp.windowMs;
        inUse = w && w.start === start ? w.used : 0;
        k = costOf(comp, req, cost);
        resetMs = start + comp.windowMs - now;
      }
      if (k > 0 && inUse + k > quota && failed < 0) {
        failed = policies.length;
        failedRetry = k > quota ? undefined : comp.kind === 'concurrency' ? earliest(s.leases, now) : resetMs;
      }
      policies.push({
        name: comp.name,
        quota,
        windowSeconds: comp.windowSeconds,
        remaining: Math.max(0, Math.floor(quota - inUse)),
        resetSeconds: Math.ceil(resetMs / 1000),
        unit: comp.unit,
      });
      resets.push(resetMs);
      used.push(inUse);
      costs.push(k);
    }

    if (failed >= 0) {
      const comp = comps[failed];
      const p = policies[failed];
      const r: LimitResult = { allowed: false, code: comp.code, policy: comp.name, limit: p.quota, remaining: p.remaining, resetMs: resets[failed], policies };
      if (comp.dimension) r.dimension = comp.dimension;
      if (comp.window) r.window = comp.window;
      if (failedRetry !== undefined) r.retryAfterMs = failedRetry;
      return r;
    }

    let leaseId: string | undefined;
    comps.forEach((comp, i) => {
      const k = costs[i];
      if (comp.kind === 'concurrency') {
        if (k > 0) {
          leaseId = `lse_local_${(++localLeaseSeq).toString(36)}`;
          s.leases.set(leaseId, now + clampLeaseTtl(req.leaseTtlMs));
        }
      } else if (comp.kind === 'burst') {
        s.burst = { tokens: policies[i].quota - used[i] - k, at: now };
      } else if (k > 0) {
        const start = Math.floor(now / comp.windowMs) * comp.windowMs;
        s.windows.set(comp.tag ?? comp.name, { start, used: used[i] + k });
      }
      policies[i].remaining = Math.max(0, Math.floor(policies[i].remaining - k));
    });
    const best = mostRestrictive(policies, resets);
    const r: LimitResult = {
      allowed: true,
      code: 'VALID',
      policy: best >= 0 ? policies[best].name : undefined,
      limit: best >= 0 ? policies[best].quota : -1,
      remaining: best >= 0 ? policies[best].remaining : -1,
      resetMs: best >= 0 ? resets[best] : 0,
      policies,
    };
    if (leaseId) r.leaseId = leaseId;
    return r;
  }

  release(keyId: string, leaseId: string): boolean {
    // peek: a release is not a use, it must not keep the key from being evicted.
    return this.keys.peek(keyId)?.leases.delete(leaseId) ?? false;
  }

  /** limit / nodeCount, but never below 1 for a limit of at least 1. */
  private share(limit: number): number {
    if (limit < 1) return limit;
    return Math.max(1, Math.floor(limit / this.nodeCount));
  }

  private state(keyId: string): KeyState {
    let s = this.keys.get(keyId); // get() marks it most recently used
    if (!s) {
      s = { windows: new Map(), leases: new Map() };
      this.keys.set(keyId, s);
    }
    return s;
  }
}

function costOf(comp: Component, req: CheckRequest, cost: number): number {
  if (comp.costFrom === 'bytes') return Math.max(0, Math.ceil(req.bytes ?? 0));
  if (comp.costFrom === 'dimension') return Math.max(0, Math.ceil(req.costs?.[comp.name] ?? 0));
  return cost;
}

function earliest(leases: Map<string, number>, now: number): number | undefined {
  let min = Infinity;
  for (const exp of leases.values()) min = Math.min(min, exp);
  return Number.isFinite(min) ? Math.max(0, min - now) : undefined;
}
