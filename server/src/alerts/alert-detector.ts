import type { Redis } from 'ioredis';
import type { Logger } from '../infra/logger';
import type { AuditService } from '../audit/audit.service';
import { LuaScript } from '../infra/lua-script';
import type { VerifySignal } from '../verify/verify-signals';
import { networkOf, type GeoIp } from '../geo/geo.service';
import type { KeyDirectory, KeyInfo } from '../usage/key-directory';
import { isReportEcho } from '../usage/usage-keys';
import { DETECTION, type AlertType } from './alert-rules';
import type { AlertRaiser, RaiseInput } from './alert-raiser';

const SEEN = new LuaScript('seen-add-1.lua', __dirname);
const IP_FAILURES = new Set(['NOT_FOUND', 'MALFORMED']);
const KEY_FAILURES = new Set(['REVOKED', 'EXPIRED', 'SUSPENDED', 'NOT_YET_CLAIMED']);
const LIMITS = new Set(['RATE_LIMITED', 'QUOTA_EXCEEDED', 'CONCURRENCY_LIMITED']);
const RESTRICTIONS = new Set(['FORBIDDEN_IP', 'FORBIDDEN_REFERRER', 'FORBIDDEN_COUNTRY', 'WRONG_ENVIRONMENT']);
const SEEN_TTL_SECONDS = 400 * 86_400;

/** Occurrences of one (type, subject) in a batch. */
interface Tally {
  orgId: string;
  type: AlertType;
  subject: string;
  keyId?: string;
  ip?: string;
  n: number;
  first: number;
  last: number;
  notes: Map<string, number>;
}

/**
 * Turns verify signals into alerts, off the hot path (SignalBuffer consumer). Counting
 * thresholds ("10 failures from one IP in a minute") use Redis HINCRBY, so every API
 * node's share adds up; novelty (new network / country) uses per-key Redis sets; the
 * rest alert on every occurrence and rely on the alert's de-duplication window.
 */
export class AlertDetector {
  constructor(
    private readonly deps: { redis: Redis; prefix: string; alerts: AlertRaiser; directory: KeyDirectory; geo: GeoIp; audit: AuditService; logger: Logger },
  ) {}

  readonly onSignals = async (batch: readonly VerifySignal[]): Promise<void> => {
    const tallies = new Map<string, Tally>();
    const add = (s: VerifySignal, type: AlertType, subject: string, note?: string, extra: Partial<Tally> = {}) => {
      if (!s.orgId) return;
      const id = `${s.orgId}|${type}|${subject}`;
      let t = tallies.get(id);
      if (!t) tallies.set(id, (t = { orgId: s.orgId, type, subject, n: 0, first: s.at, last: s.at, notes: new Map(), ...extra }));
      t.n++;
      t.first = Math.min(t.first, s.at);
      t.last = Math.max(t.last, s.at);
      if (note) t.notes.set(note, (t.notes.get(note) ?? 0) + 1);
    };
    const usedFrom = new Map<string, { orgId: string; ips: Set<string>; at: number }>();
    for (const s of batch) {
      if (isReportEcho(s)) continue;
      const k = s.keyId;
      if (IP_FAILURES.has(s.code) && s.ip) add(s, 'AUTH_FAILURES_IP', s.ip, s.code, { ip: s.ip });
      else if (!k) continue;
      else if (KEY_FAILURES.has(s.code)) add(s, 'AUTH_FAILURES_KEY', k, s.code, { keyId: k, ip: s.ip });
      else if (LIMITS.has(s.code)) add(s, 'RATE_LIMIT_VIOLATIONS', k, s.code, { keyId: k });
      else if (s.code === 'INSUFFICIENT_PERMISSIONS') add(s, 'PERMISSION_VIOLATIONS', k, s.resource && s.action ? `${s.resource}:${s.action}` : undefined, { keyId: k, ip: s.ip });
      else if (RESTRICTIONS.has(s.code)) add(s, 'RESTRICTION_VIOLATIONS', k, s.code, { keyId: k, ip: s.ip });
      else if (s.reportOnly) add(s, 'RESTRICTION_VIOLATIONS', k, `report_only:${s.reportOnly}`, { keyId: k, ip: s.ip });
      else if (s.code === 'VALID') {
        if (s.emergency) add(s, 'EMERGENCY_KEY_USED', k, s.ip, { keyId: k, ip: s.ip });
        if (s.queryParam) add(s, 'KEY_IN_QUERY_STRING', k, undefined, { keyId: k });
        if (s.orgId) {
          const u = usedFrom.get(k) ?? { orgId: s.orgId, ips: new Set<string>(), at: s.at };
          if (s.ip) u.ips.add(s.ip);
          u.at = Math.max(u.at, s.at);
          usedFrom.set(k, u);
        }
      }
    }
    const keyIds = new Set<string>([...usedFrom.keys()]);
    for (const t of tallies.values()) if (t.keyId) keyIds.add(t.keyId);
    const infos = keyIds.size > 0 ? await this.deps.directory.get(keyIds) : new Map<string, KeyInfo>();

    const raises: RaiseInput[] = [];
    for (const t of await this.overThreshold([...tallies.values()])) raises.push(this.toRaise(t, infos.get(t.keyId ?? '')));
    for (const [keyId, u] of usedFrom) raises.push(...(await this.novelty(keyId, u, infos.get(keyId))));
    for (const r of raises) {
      await this.deps.alerts.raise(r).catch((err: unknown) => this.deps.logger.warn({ err, type: r.type }, 'alert not raised'));
    }
    await this.auditEmergencyUse(tallies, infos);
  };

  /** Threshold types keep only tallies whose per-minute total (all nodes) reached it. */
  private async overThreshold(tallies: Tally[]): Promise<Tally[]> {
    const thresholds: Partial<Record<AlertType, number>> = { AUTH_FAILURES_IP: DETECTION.authFailuresPerIpPerMinute, AUTH_FAILURES_KEY: DETECTION.authFailuresPerKeyPerMinute };
    const counted = tallies.filter((t) => thresholds[t.type] !== undefined);
    const p = this.deps.redis.pipeline();
    for (const t of counted) {
      const key = `${this.deps.prefix}:sig:${t.orgId}:${Math.floor(t.last / 60_000)}`;
      p.hincrby(key, `${t.type}|${t.subject}`, t.n);
      p.expire(key, 180);
    }
    const res = counted.length > 0 ? ((await p.exec()) ?? []) : [];
    const out = tallies.filter((t) => thresholds[t.type] === undefined);
    counted.forEach((t, i) => {
      const total = Number(res[2 * i]?.[1]) || 0;
      const limit = thresholds[t.type] as number;
      if (total < limit) return;
      // Crossing now: the alert starts with every failure of the minute so far.
      if (total - t.n < limit) t.n = total;
      out.push(t);
    });
    return out;
  }

  private toRaise(t: Tally, info: KeyInfo | undefined): RaiseInput {
    const notes = [...t.notes].map(([k, v]) => `${k}×${v}`).join(', ');
    const who = t.keyId ? `key ${info?.name ?? t.keyId}` : `IP ${t.ip}`;
    const summary = `${t.n} ${t.type.toLowerCase().replace(/_/g, ' ')} for ${who}${notes ? ` (${notes})` : ''}`;
    const details: Record<string, string | number> = {};
    for (const [k, v] of t.notes) details[k] = v;
    return {
      orgId: t.orgId,
      type: t.type,
      subject: t.subject,
      count: t.n,
      at: t.last,
      firstAt: t.first,
      summary,
      keyId: t.keyId ?? null,
      ownerId: info?.ownerId ?? null,
      ip: t.ip ?? null,
      details,
    };
  }

  /** New network or country for a key that already has a history, and rotated keys near their end. */
  private async novelty(keyId: string, u: { orgId: string; ips: Set<string>; at: number }, info: KeyInfo | undefined): Promise<RaiseInput[]> {
    const out: RaiseInput[] = [];
    const base = { orgId: u.orgId, keyId, ownerId: info?.ownerId ?? null, at: u.at };
    const { redis, prefix, geo } = this.deps;
    for (const ip of u.ips) {
      const net = networkOf(ip);
      const cc = geo.countryOf(ip);
      for (const [kind, value] of [['net', net], ['cc', cc]] as const) {
        if (!value) continue;
        const key = `${prefix}:seen:{${keyId}}:${kind}`;
        const [added, size] = (await SEEN.run(redis, [key], [value, DETECTION.maxTrackedNetworks])) as number[];
        await redis.expire(key, SEEN_TTL_SECONDS);
        if (added !== 1 || (size ?? 0) <= 1) continue;
        out.push(
          kind === 'net'
            ? {
                ...base,
                type: 'NEW_NETWORK',
                subject: `${keyId}|${value}`,
                count: 1,
                ip,
                summary: `key ${info?.name ?? keyId} used from new network ${value}`,
                details: { network: value },
              }
            : {
                ...base,
                type: 'NEW_COUNTRY',
                subject: `${keyId}|${value}`,
                count: 1,
                ip,
                summary: `key ${info?.name ?? keyId} used from new country ${value}`,
                details: { country: value },
              },
        );
      }
    }
    if (info?.status === 'rotating' && info.graceEndsAt !== null) {
      const left = info.graceEndsAt - Date.now();
      if (left > 0 && left <= DETECTION.graceEndingWithinMs) {
        out.push({
          ...base,
          type: 'ROTATED_KEY_GRACE_ENDING',
          subject: keyId,
          count: 1,
          summary: `rotated key ${info.name} still in use; its grace period ends in ${Math.ceil(left / 60_000)} min`,
          details: { graceEndsAt: new Date(info.graceEndsAt).toISOString() },
        });
      }
    }
    return out;
  }

  /** Emergency keys: "loud audit" — one audit event per key per batch, with the uses it covers. */
  private async auditEmergencyUse(tallies: Map<string, Tally>, infos: Map<string, KeyInfo>): Promise<void> {
    for (const t of tallies.values()) {
      if (t.type !== 'EMERGENCY_KEY_USED' || !t.keyId) continue;
      await this.deps.audit
        .append({
          orgId: t.orgId,
          actor: { type: 'key', id: t.keyId },
          action: 'key.emergency_used',
          target: { type: 'key', id: t.keyId },
          before: null,
          after: {
            uses: t.n,
            ips: [...t.notes.keys()].filter(Boolean).slice(0, 20),
            owner: infos.get(t.keyId)?.ownerId ?? null,
            from: new Date(t.first).toISOString(),
            to: new Date(t.last).toISOString(),
          },
        })
        .catch((err: unknown) => this.deps.logger.error({ err, keyId: t.keyId }, 'emergency key use not audited'));
    }
  }
}
