import type { Redis } from 'ioredis';
import type { VerifySignal } from '../verify/verify-signals';
import type { GeoIp } from '../geo/geo.service';
import { HOUR_MS, DAY_MS, MINUTE_MS, latencyBucket, statusClass } from './usage-buckets';
import { DAY_HLL_TTL_SECONDS, LIMITER_CODES, MINUTE_TTL_SECONDS, TICK_MS, UsageKeys, dirtyMember, isReportEcho } from './usage-keys';

/** One accepted `POST /v1/usage` report, its key resolved and checked. */
export interface UsageFact {
  orgId: string;
  keyId: string;
  at: number;
  status: number;
  latencyMs: number;
  bytesIn: number;
  bytesOut: number;
  ip?: string;
  country?: string;
  /** Measured after the fact (e.g. CPU time): consumption per metered dimension. */
  costs?: Record<string, number>;
}

type Counts = Map<string, number>;

/** Collects one batch in memory so each key-minute costs one HINCRBY per distinct field. */
class Batch {
  readonly minutes = new Map<string, { orgId: string; keyId: string; minute: number; fields: Counts; ips: Set<string> }>();
  readonly ticks = new Map<number, Counts>();

  minute(orgId: string, keyId: string, at: number) {
    const minute = Math.floor(at / MINUTE_MS);
    const id = dirtyMember(orgId, keyId, minute);
    let m = this.minutes.get(id);
    if (!m) {
      m = { orgId, keyId, minute, fields: new Map(), ips: new Set() };
      this.minutes.set(id, m);
    }
    return m;
  }

  tick(orgId: string, at: number, field: string, n = 1): void {
    const t = Math.floor(at / TICK_MS);
    let c = this.ticks.get(t);
    if (!c) this.ticks.set(t, (c = new Map()));
    inc(c, `${orgId}|${field}`, n);
  }
}

const inc = (m: Counts, k: string, n = 1): void => {
  m.set(k, (m.get(k) ?? 0) + n);
};

/**
 * Turns raw facts — verify signals and usage reports — into Redis counters, one
 * pipeline per batch. Nothing here touches MongoDB: the usage job folds the counters
 * into rollups (MongoDB updates are not isolated under FerretDB, Redis HINCRBY is).
 */
export class UsageRecorder {
  constructor(
    private readonly redis: Redis,
    private readonly keys: UsageKeys,
    private readonly geo: GeoIp,
  ) {}

  async recordSignals(batch: readonly VerifySignal[]): Promise<void> {
    const b = new Batch();
    for (const s of batch) {
      // A report-only restriction hit is a second signal about a request already counted.
      if (s.reportOnly || !s.orgId || isReportEcho(s)) continue;
      b.tick(s.orgId, s.at, 'r');
      b.tick(s.orgId, s.at, s.code === 'VALID' ? 'v' : 'd');
      if (s.code === 'RATE_LIMITED' || s.code === 'QUOTA_EXCEEDED' || s.code === 'CONCURRENCY_LIMITED') b.tick(s.orgId, s.at, 'rl');
      if (!s.keyId) continue;
      const m = b.minute(s.orgId, s.keyId, s.at);
      if (!LIMITER_CODES.has(s.code)) inc(m.fields, `c:${s.code}`);
      if (s.costs && s.code === 'VALID') for (const [d, n] of Object.entries(s.costs)) inc(m.fields, `dm:${d}`, n);
      const cc = s.country ?? this.geo.countryOf(s.ip);
      if (cc) inc(m.fields, `cc:${cc}`);
      if (s.ip) m.ips.add(s.ip);
    }
    await this.write(b);
  }

  async recordReports(facts: readonly UsageFact[]): Promise<void> {
    const b = new Batch();
    for (const f of facts) {
      const m = b.minute(f.orgId, f.keyId, f.at);
      inc(m.fields, 'rn');
      inc(m.fields, `s:${f.status}`);
      inc(m.fields, `sc:${statusClass(f.status)}`);
      inc(m.fields, `l:${latencyBucket(f.latencyMs)}`);
      inc(m.fields, 'ls', Math.round(f.latencyMs));
      if (f.bytesIn) inc(m.fields, 'bi', f.bytesIn);
      if (f.bytesOut) inc(m.fields, 'bo', f.bytesOut);
      if (f.costs) for (const [d, n] of Object.entries(f.costs)) inc(m.fields, `dm:${d}`, n);
    }
    await this.write(b);
  }

  private async write(b: Batch): Promise<void> {
    if (b.minutes.size === 0 && b.ticks.size === 0) return;
    const p = this.redis.pipeline();
    const now = Date.now();
    for (const [member, m] of b.minutes) {
      if (m.fields.size > 0) {
        const key = this.keys.minute(m.keyId, m.minute);
        for (const [f, n] of m.fields) p.hincrby(key, f, n);
        p.expire(key, MINUTE_TTL_SECONDS);
      }
      if (m.ips.size > 0) {
        const at = m.minute * MINUTE_MS;
        const ips = [...m.ips];
        const hll: [string, number][] = [
          [this.keys.ips(m.keyId, 'm', m.minute), MINUTE_TTL_SECONDS],
          [this.keys.ips(m.keyId, 'h', Math.floor(at / HOUR_MS)), MINUTE_TTL_SECONDS],
          [this.keys.ips(m.keyId, 'd', Math.floor(at / DAY_MS)), DAY_HLL_TTL_SECONDS],
        ];
        for (const [k, ttl] of hll) {
          p.pfadd(k, ...ips);
          p.expire(k, ttl);
        }
      }
      // Score = last write: the fold removes a member only if nothing was written since it read it.
      p.zadd(this.keys.dirty, now, member);
    }
    for (const [t, counts] of b.ticks) {
      const key = this.keys.tick(t);
      for (const [f, n] of counts) p.hincrby(key, f, n);
      p.expire(key, 120);
    }
    const res = await p.exec();
    const failed = res?.find(([err]) => err);
    if (failed?.[0]) throw failed[0];
  }
}
