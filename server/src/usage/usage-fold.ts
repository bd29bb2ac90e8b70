import type { Connection } from 'mongoose';
import type { Redis } from 'ioredis';
import type { Logger } from '../infra/logger';
import { LuaScript } from '../infra/lua-script';
import type { RateLimiter } from '../ratelimit/ratelimit.service';
import { DAY_MS, HOUR_MS, MINUTE_MS, floorTo, type Granularity } from './usage-buckets';
import { parseDirty, type UsageKeys } from './usage-keys';
import { rollupId, usageModel, type UsageRollupDoc } from './usage.model';
import { minuteTotals, TotalsAccumulator, type UsageTotals } from './usage-rollup';

const CLEAR = new LuaScript('dirty-clear-1.lua', __dirname);

/** Signals sit in a node's buffer up to a second and node clocks differ a little. */
const CLOSE_GRACE_MS = 5_000;
const CHUNK = 200;

export interface FoldResult {
  minutes: number;
  hours: number;
  days: number;
}

interface Touched {
  orgId: string;
  keyId: string;
  start: number;
}

/**
 * The usage job's work: closed minutes from Redis → `usage_minute` rows, then the
 * hours and days they belong to recomputed from the rows below them. Every write is a
 * `$set` of totals computed from the complete source, so a re-run (at-least-once
 * delivery, two workers) or a late report (its minute is marked dirty again) leaves
 * correct rows — never double counts.
 */
export class UsageFolder {
  constructor(
    private readonly deps: { conn: Connection; redis: Redis; keys: UsageKeys; limiter: RateLimiter; logger: Logger },
  ) {}

  async fold(opts: { now?: number; upToMinute?: number; maxMembers?: number } = {}): Promise<FoldResult> {
    const now = opts.now ?? Date.now();
    const upTo = opts.upToMinute ?? Math.floor((now - CLOSE_GRACE_MS) / MINUTE_MS) - 1;
    const raw = (await this.deps.redis.zrange(this.deps.keys.dirty, 0, String((opts.maxMembers ?? 20_000) - 1), 'WITHSCORES')) as string[];
    const members: { member: string; score: string; orgId: string; keyId: string; minute: number }[] = [];
    for (let i = 0; i < raw.length; i += 2) {
      const p = parseDirty(raw[i] as string);
      if (p && p.minute <= upTo) members.push({ member: raw[i] as string, score: raw[i + 1] as string, ...p });
    }
    const hours = new Map<string, Touched>();
    let minutes = 0;
    for (let i = 0; i < members.length; i += CHUNK) {
      const chunk = members.slice(i, i + CHUNK);
      minutes += await this.foldMinutes(chunk);
      await CLEAR.run(this.deps.redis, [this.deps.keys.dirty], chunk.flatMap((m) => [m.member, m.score]));
      for (const m of chunk) {
        const start = floorTo(m.minute * MINUTE_MS, HOUR_MS);
        hours.set(`${m.keyId}:${start}`, { orgId: m.orgId, keyId: m.keyId, start });
      }
    }
    const days = new Map<string, Touched>();
    for (const h of hours.values()) {
      const start = floorTo(h.start, DAY_MS);
      days.set(`${h.keyId}:${start}`, { ...h, start });
    }
    await this.rebuild('HOUR', [...hours.values()]);
    await this.rebuild('DAY', [...days.values()]);
    return { minutes, hours: hours.size, days: days.size };
  }

  private async foldMinutes(chunk: { orgId: string; keyId: string; minute: number }[]): Promise<number> {
    const { redis, keys, limiter } = this.deps;
    const p = redis.pipeline();
    for (const m of chunk) {
      p.hgetall(keys.minute(m.keyId, m.minute));
      p.hgetall(limiter.usageKey(m.keyId, m.minute));
      p.pfcount(keys.ips(m.keyId, 'm', m.minute));
    }
    const res = (await p.exec()) ?? [];
    const ops = [];
    for (let j = 0; j < chunk.length; j++) {
      const m = chunk[j] as (typeof chunk)[number];
      const [e1, ours] = res[3 * j] ?? [];
      const [e2, lim] = res[3 * j + 1] ?? [];
      const [e3, ips] = res[3 * j + 2] ?? [];
      if (e1 || e2 || e3) throw e1 ?? e2 ?? e3;
      const o = ours as Record<string, string>;
      const l = lim as Record<string, string>;
      // Counters gone (expired after a very long outage): keep the row we have.
      if (Object.keys(o).length === 0 && Object.keys(l).length === 0 && !ips) continue;
      const start = m.minute * MINUTE_MS;
      ops.push(upsert(m.orgId, m.keyId, start, minuteTotals(o, l, Number(ips) || 0)));
    }
    if (ops.length > 0) await usageModel(this.deps.conn, 'MINUTE').bulkWrite(ops, { ordered: false });
    return ops.length;
  }

  /** Recomputes whole hour (or day) rows from the rows one level below. */
  private async rebuild(g: Exclude<Granularity, 'MINUTE'>, touched: Touched[]): Promise<void> {
    if (touched.length === 0) return;
    const below = usageModel(this.deps.conn, g === 'HOUR' ? 'MINUTE' : 'HOUR');
    const span = g === 'HOUR' ? HOUR_MS : DAY_MS;
    const byKey = new Map<string, Touched[]>();
    for (const t of touched) byKey.set(t.keyId, [...(byKey.get(t.keyId) ?? []), t]);
    const ops = [];
    for (const [keyId, list] of byKey) {
      const lo = Math.min(...list.map((t) => t.start));
      const hi = Math.max(...list.map((t) => t.start)) + span;
      const rows = await below.find({ keyId, bucketStart: { $gte: new Date(lo), $lt: new Date(hi) } }).lean<UsageRollupDoc[]>().exec();
      const hll = await this.hllCounts(keyId, g, list);
      for (const t of list) {
        const acc = new TotalsAccumulator();
        for (const r of rows) if (r.bucketStart.getTime() >= t.start && r.bucketStart.getTime() < t.start + span) acc.add(r);
        const totals = acc.totals();
        const distinct = hll.get(t.start);
        if (distinct) totals.distinctIps = distinct;
        ops.push(upsert(t.orgId, keyId, t.start, totals));
      }
    }
    if (ops.length > 0) await usageModel(this.deps.conn, g).bulkWrite(ops, { ordered: false });
  }

  private async hllCounts(keyId: string, g: 'HOUR' | 'DAY', list: Touched[]): Promise<Map<number, number>> {
    const unit = g === 'HOUR' ? 'h' : 'd';
    const span = g === 'HOUR' ? HOUR_MS : DAY_MS;
    const p = this.deps.redis.pipeline();
    for (const t of list) p.pfcount(this.deps.keys.ips(keyId, unit, t.start / span));
    const res = (await p.exec()) ?? [];
    return new Map(list.map((t, i) => [t.start, Number(res[i]?.[1]) || 0]));
  }
}

function upsert(orgId: string, keyId: string, start: number, totals: UsageTotals) {
  return {
    updateOne: {
      filter: { _id: rollupId(keyId, start) },
      update: { $set: { orgId, keyId, bucketStart: new Date(start), ...totals } },
      upsert: true,
    },
  };
}
