import type { CheckRequest, LimitCode, PolicyUnit } from './limits';
import type { KeyLimits, WindowName } from '../keys/key-limits';

/**
 * Turns a `KeyLimits` into the static part of check-4.lua's ARGV, once per limits
 * object (cached in a WeakMap: the key cache hands out the same object on every
 * verify, so the hot path only appends the per-request costs). No JSON anywhere:
 * the script reads flat numbers with `tonumber`.
 */

/** Window length and sub-window buckets; precision is one bucket (docs/RATE-LIMITING.md). */
export const WINDOWS: Readonly<Record<WindowName, { ms: number; buckets: number; letter: string }>> = {
  second: { ms: 1_000, buckets: 10, letter: 's' },
  minute: { ms: 60_000, buckets: 60, letter: 'm' },
  hour: { ms: 3_600_000, buckets: 60, letter: 'h' },
  day: { ms: 86_400_000, buckets: 48, letter: 'd' },
  month: { ms: 30 * 86_400_000, buckets: 30, letter: 'M' },
};

export const GB = 1_000_000_000;
export const DEFAULT_LEASE_TTL_MS = 30_000;
export const MAX_LEASE_TTL_MS = 3_600_000;
const MAX_STATE_TTL_MS = 400 * 86_400_000;
const NONE = '-1';

/** One policy the script reports on, in reply order: windows, then burst, credits, concurrency. */
export interface Component {
  kind: 'window' | 'burst' | 'credits' | 'concurrency';
  /** Field name of a sliding window in the state hash: `s` `m` `h` `d`, `Bd` (bytes), `x<letter>:<dimension>`. */
  tag?: string;
  name: string;
  /** The configured limit (before the adaptive factor); bytes for `bytes`. */
  limit: number;
  /** Window or refill period; 0 when there is none. */
  windowMs: number;
  code: Exclude<LimitCode, 'VALID' | 'PAYLOAD_TOO_LARGE'>;
  unit: PolicyUnit;
  windowSeconds: number;
  window?: string;
  dimension?: string;
  /** For sliding windows: which request field is the cost. */
  costFrom?: 'cost' | 'bytes' | 'dimension';
}

export interface CompiledLimits {
  /** ARGV[3..] of check-4.lua. */
  staticArgs: readonly string[];
  /** Dimension names in window order: their costs close the ARGV. */
  dimensions: readonly string[];
  components: readonly Component[];
  windowCount: number;
  hasBurst: boolean;
  hasCredits: boolean;
  hasConcurrency: boolean;
  maxPayloadBytes?: number;
}

const cache = new WeakMap<KeyLimits, CompiledLimits>();

/** Treat a `KeyLimits` object as immutable once checked: the compiled form is cached on it. */
export function compileLimits(limits: KeyLimits): CompiledLimits {
  let c = cache.get(limits);
  if (!c) {
    c = compile(limits);
    cache.set(limits, c);
  }
  return c;
}

const count = (x: number): number => (Number.isFinite(x) ? Math.max(0, Math.floor(x)) : 0);

function compile(l: KeyLimits): CompiledLimits {
  const win: string[] = [];
  const dimensions: string[] = [];
  const components: Component[] = [];
  let ttlMs = 0;
  let persist = false;
  const addWindow = (tag: string, limit: number, w: WindowName, comp: Omit<Component, 'kind' | 'tag'>): void => {
    const { ms, buckets } = WINDOWS[w];
    win.push(tag, String(count(limit)));
    components.push({ kind: 'window', tag, ...comp });
    if (comp.costFrom === 'dimension') dimensions.push(comp.name);
    ttlMs = Math.max(ttlMs, ms + ms / buckets);
  };
  const requestWindows: Array<[WindowName, number | undefined]> = [
    ['second', l.perSecond],
    ['minute', l.perMinute],
    ['hour', l.perHour],
    ['day', l.perDay],
  ];
  for (const [w, limit] of requestWindows) {
    if (limit === undefined) continue;
    addWindow(WINDOWS[w].letter, limit, w, {
      name: w,
      limit: count(limit),
      windowMs: WINDOWS[w].ms,
      code: 'RATE_LIMITED',
      unit: 'requests',
      windowSeconds: WINDOWS[w].ms / 1000,
      window: w,
      costFrom: 'cost',
    });
  }
  const gb = l.bandwidth?.totalGbPerDay;
  if (gb !== undefined) {
    addWindow('Bd', Math.floor(gb * GB), 'day', {
      name: 'bytes',
      limit: count(gb * GB),
      windowMs: WINDOWS.day.ms,
      code: 'QUOTA_EXCEEDED',
      unit: 'bytes',
      windowSeconds: 86_400,
      window: 'day',
      dimension: 'bytes',
      costFrom: 'bytes',
    });
  }
  for (const d of l.dimensions ?? []) {
    const spec = WINDOWS[d.window];
    addWindow(`x${spec.letter}:${d.name}`, d.limit, d.window, {
      name: d.name,
      limit: count(d.limit),
      windowMs: spec.ms,
      code: 'QUOTA_EXCEEDED',
      unit: d.name,
      windowSeconds: spec.ms / 1000,
      window: d.window,
      dimension: d.name,
      costFrom: 'dimension',
    });
  }

  const args: string[] = [];
  const windowCount = components.length;
  const burst = l.burst;
  if (burst) {
    const windowMs = Math.max(1, Math.round(burst.burstWindowSeconds * 1000));
    args.push(String(count(burst.maxBurst)), String(windowMs));
    components.push({
      kind: 'burst',
      name: 'burst',
      limit: count(burst.maxBurst),
      windowMs,
      code: 'RATE_LIMITED',
      unit: 'requests',
      windowSeconds: Math.max(1, Math.round(burst.burstWindowSeconds)),
      window: 'burst',
    });
    ttlMs = Math.max(ttlMs, windowMs);
  } else args.push(NONE, '1');

  const credits = l.credits;
  if (credits) {
    const refill = credits.refill && credits.refill.amount > 0 && credits.refill.everySeconds > 0 ? credits.refill : undefined;
    const cap = count(credits.amount);
    const everyMs = refill ? Math.max(1, Math.round(refill.everySeconds * 1000)) : 0;
    args.push(String(cap), String(refill ? count(refill.amount) : 0), String(everyMs));
    components.push({ kind: 'credits', name: 'credits', limit: cap, windowMs: everyMs, code: 'QUOTA_EXCEEDED', unit: 'credits', windowSeconds: 0, dimension: 'credits' });
    // Without refill the balance must outlive any idle period: never expire the hash.
    if (refill && count(refill.amount) > 0) ttlMs = Math.max(ttlMs, Math.ceil(cap / count(refill.amount) + 1) * everyMs);
    else persist = true;
  } else args.push(NONE, '0', '0');

  if (l.concurrency !== undefined) {
    args.push(String(count(l.concurrency)));
    components.push({
      kind: 'concurrency',
      name: 'concurrency',
      limit: count(l.concurrency),
      windowMs: 0,
      code: 'CONCURRENCY_LIMITED',
      unit: 'concurrent-requests',
      windowSeconds: 0,
      dimension: 'concurrency',
    });
  } else args.push(NONE);

  // Past ~400 days an expiry buys nothing (and a huge credit cap could overflow PEXPIRE).
  const hashTtlMs = persist || ttlMs > MAX_STATE_TTL_MS ? 0 : Math.max(ttlMs, 1_000);
  return {
    staticArgs: [String(hashTtlMs), String(windowCount), ...win, ...args],
    components,
    dimensions,
    windowCount,
    hasBurst: !!burst,
    hasCredits: !!credits,
    hasConcurrency: l.concurrency !== undefined,
    maxPayloadBytes: l.maxPayloadBytes,
  };
}

const units = (x: number | undefined, dflt: number): number => (x !== undefined && Number.isFinite(x) ? Math.max(0, Math.ceil(x)) : dflt);

/**
 * The whole ARGV for one call: mode, usage TTL, the cached static part, then the
 * request cost, bytes, lease id ('' = none), lease TTL, the clock ('' = Redis TIME) and
 * one cost per dimension.
 */
export function buildArgs(
  c: CompiledLimits,
  mode: 0 | 1 | 2,
  usageTtlSeconds: number,
  req: CheckRequest,
  leaseId: string,
  leaseTtlMs: number,
  nowMs: number | '' = '',
): Array<string | number> {
  const status = mode === 1;
  const out: Array<string | number> = [mode, usageTtlSeconds, ...c.staticArgs];
  out.push(status ? 0 : units(req.cost, 1), status ? 0 : units(req.bytes, 0), leaseId, leaseTtlMs, nowMs);
  const dims = c.dimensions;
  for (let i = 0; i < dims.length; i++) out.push(status ? 0 : units(req.costs?.[dims[i]], 0));
  return out;
}

export function clampLeaseTtl(ms: number | undefined): number {
  if (ms === undefined || !Number.isFinite(ms)) return DEFAULT_LEASE_TTL_MS;
  return Math.min(MAX_LEASE_TTL_MS, Math.max(100, Math.round(ms)));
}
