import type { CompiledLimits, Component } from './key-limits';
import type { LimitPolicy, LimitResult } from './limits';

/** Builds a `LimitResult` from check-4.lua's flat integer reply. */
export function decodeReply(reply: number[], c: CompiledLimits, leaseId: string): LimitResult {
  const allowed = reply[0] === 1;
  const failIdx = reply[1];
  const retry = reply[2];
  const comps = c.components;
  const resets: number[] = new Array(comps.length);
  const policies: LimitPolicy[] = new Array(comps.length);
  for (let i = 0; i < comps.length; i++) {
    const comp = comps[i];
    const o = 4 + 3 * i;
    const resetMs = Math.max(0, reply[o + 2]);
    resets[i] = resetMs;
    policies[i] = {
      name: comp.name,
      quota: reply[o],
      windowSeconds: comp.windowSeconds,
      remaining: reply[o + 1],
      resetSeconds: Math.ceil(resetMs / 1000),
      unit: comp.unit,
    };
  }
  if (!allowed) {
    const i = failIdx - 1;
    const comp = comps[i];
    return {
      allowed: false,
      code: comp.code,
      ...naming(comp),
      policy: comp.name,
      limit: policies[i].quota,
      remaining: policies[i].remaining,
      resetMs: resets[i],
      retryAfterMs: retry >= 0 ? retry : undefined,
      policies,
    };
  }
  const i = mostRestrictive(policies, resets);
  const result: LimitResult = {
    allowed: true,
    code: 'VALID',
    policy: i >= 0 ? policies[i].name : undefined,
    limit: i >= 0 ? policies[i].quota : -1,
    remaining: i >= 0 ? policies[i].remaining : -1,
    resetMs: i >= 0 ? resets[i] : 0,
    policies,
  };
  if (leaseId) result.leaseId = leaseId;
  return result;
}

function naming(comp: Component): { dimension?: string; window?: string } {
  const out: { dimension?: string; window?: string } = {};
  if (comp.dimension) out.dimension = comp.dimension;
  if (comp.window) out.window = comp.window;
  return out;
}

/** The policy with the smallest share left; ties go to the one that resets last. */
export function mostRestrictive(policies: readonly LimitPolicy[], resets: readonly number[]): number {
  let best = -1;
  let bestShare = Infinity;
  for (let i = 0; i < policies.length; i++) {
    const p = policies[i];
    const share = p.quota > 0 ? p.remaining / p.quota : 0;
    if (share < bestShare || (share === bestShare && resets[i] > resets[best])) {
      best = i;
      bestShare = share;
    }
  }
  return best;
}
