/**
 * Where usage counters live in Redis. Everything about one API key shares the hash tag
 * `{keyId}` (Redis Cluster); the dirty index and tick hashes are single keys.
 *
 *   <p>:u:{keyId}:m:<minute>        hash   c:<CODE> cc:<CC> s:<status> l:<bucket> bi bo rn ls
 *   <p>:u:{keyId}:ip:<m|h|d>:<n>    HLL    distinct client IPs per minute / hour / day
 *   <p>:u:dirty                     zset   "<orgId>|<keyId>|<minute>" → ms of its last write
 *   <p>:u:tick:<n>                  hash   "<orgId>|<field>" → count, one per tick interval
 *
 * Verification outcomes the limiter already counts (its `u:<minute>` hash, see
 * check-4.lua) are not counted twice here: the fold reads both.
 */
export const LIMITER_CODES: ReadonlySet<string> = new Set(['VALID', 'RATE_LIMITED', 'QUOTA_EXCEEDED', 'CONCURRENCY_LIMITED']);

/** Counters must outlive the latest report we accept (24 h late) plus a fold. */
export const MINUTE_TTL_SECONDS = 26 * 3600;
export const DAY_HLL_TTL_SECONDS = 49 * 3600;
export const TICK_MS = 5_000;

export class UsageKeys {
  constructor(readonly prefix: string) {}

  minute(keyId: string, minute: number): string {
    return `${this.prefix}:u:{${keyId}}:m:${minute}`;
  }

  ips(keyId: string, unit: 'm' | 'h' | 'd', n: number): string {
    return `${this.prefix}:u:{${keyId}}:ip:${unit}:${n}`;
  }

  get dirty(): string {
    return `${this.prefix}:u:dirty`;
  }

  tick(n: number): string {
    return `${this.prefix}:u:tick:${n}`;
  }

  tickClaim(n: number): string {
    return `${this.prefix}:u:tick:${n}:claim`;
  }

  reportId(orgId: string, id: string): string {
    return `${this.prefix}:u:rid:${orgId}:${id}`;
  }
}

export const dirtyMember = (orgId: string, keyId: string, minute: number): string => `${orgId}|${keyId}|${minute}`;

export function parseDirty(member: string): { orgId: string; keyId: string; minute: number } | null {
  const [orgId, keyId, m] = member.split('|');
  const minute = Number(m);
  return orgId && keyId && Number.isInteger(minute) ? { orgId, keyId, minute } : null;
}

/**
 * POST /v1/usage reports are echoed into the verify signal buffer (with `status`) for
 * the adaptive limiter; they are not verifications, and the usage recorder has counted
 * them already, so monitoring consumers skip them.
 */
export function isReportEcho(s: object): boolean {
  return (s as { status?: number }).status !== undefined;
}
