import { assertNever } from '@latchkey/schema';
import type { LimitPolicy, LimitResult } from './limits';

/**
 * HTTP rate-limit header fields for a check result.
 *
 * - `draft-11` (default): draft-ietf-httpapi-ratelimit-headers-11, two Structured Field
 *   lists, one item per policy:
 *     RateLimit-Policy: "minute";q=100;w=60, "bytes";q=1000000000;qu="content-bytes";w=86400
 *     RateLimit: "minute";r=50;t=30, "bytes";r=999000000;t=80000
 * - `draft-7`: one combined `RateLimit: limit=100, remaining=50, reset=30` for the most
 *   restrictive policy, plus `RateLimit-Policy: 100;w=60, …`.
 * - `draft-6`: `RateLimit-Limit`, `RateLimit-Remaining`, `RateLimit-Reset` + the same policy.
 * The older two exist because common clients (e.g. the `ratelimit-header-parser` npm
 * package) read only them; both drafts use the name `RateLimit`, so one response can
 * carry only one format (docs/RATE-LIMITING.md).
 * `Retry-After` (delay-seconds) is added to denials that can succeed later.
 */
export type RateLimitHeaderFormat = 'draft-11' | 'draft-7' | 'draft-6';

export type HeaderSource = Pick<LimitResult, 'allowed' | 'retryAfterMs' | 'limit' | 'remaining' | 'resetMs' | 'policies'>;

const MAX_SF_INTEGER = 999_999_999_999_999;

/** The header fields to set on the response, by name. Empty when the key has no limits. */
export function rateLimitHeaders(r: HeaderSource, format: RateLimitHeaderFormat = 'draft-11'): Record<string, string> {
  const h: Record<string, string> = {};
  if (r.policies.length > 0) {
    switch (format) {
      case 'draft-11':
        h['RateLimit-Policy'] = formatPolicyField(r.policies);
        h['RateLimit'] = formatRateLimitField(r.policies);
        break;
      case 'draft-7':
        h['RateLimit-Policy'] = formatLegacyPolicy(r.policies);
        h['RateLimit'] = `limit=${int(r.limit)}, remaining=${int(r.remaining)}, reset=${seconds(r.resetMs)}`;
        break;
      case 'draft-6':
        h['RateLimit-Policy'] = formatLegacyPolicy(r.policies);
        h['RateLimit-Limit'] = String(int(r.limit));
        h['RateLimit-Remaining'] = String(int(r.remaining));
        h['RateLimit-Reset'] = String(seconds(r.resetMs));
        break;
      default:
        return assertNever(format);
    }
  }
  if (!r.allowed && r.retryAfterMs !== undefined) h['Retry-After'] = String(seconds(r.retryAfterMs));
  return h;
}

/** `RateLimit-Policy` (draft 11): `"name";q=<quota>[;qu="<unit>"][;w=<seconds>]`, comma-separated. */
export function formatPolicyField(policies: readonly LimitPolicy[]): string {
  return policies
    .map((p) => {
      let item = `${sfString(p.name)};q=${int(p.quota)}`;
      item += unitParam(p.unit);
      if (p.windowSeconds > 0) item += `;w=${int(p.windowSeconds)}`;
      return item;
    })
    .join(', ');
}

/** `RateLimit` (draft 11): `"name";r=<remaining>[;t=<seconds>]`, comma-separated. */
export function formatRateLimitField(policies: readonly LimitPolicy[]): string {
  return policies
    .map((p) => {
      let item = `${sfString(p.name)};r=${int(p.remaining)}`;
      if (p.windowSeconds > 0 || p.resetSeconds > 0) item += `;t=${int(p.resetSeconds)}`;
      return item;
    })
    .join(', ');
}

/** Drafts 6/7 policy syntax: `<quota>;w=<seconds>` for every policy with a time window. */
function formatLegacyPolicy(policies: readonly LimitPolicy[]): string {
  return policies
    .filter((p) => p.windowSeconds > 0)
    .map((p) => `${int(p.quota)};w=${int(p.windowSeconds)}`)
    .join(', ');
}

// Registered quota units (draft 11 §3.1.2); anything else rides in a vendor parameter.
function unitParam(unit: LimitPolicy['unit']): string {
  if (unit === undefined || unit === 'requests') return '';
  if (unit === 'bytes') return ';qu="content-bytes"';
  if (unit === 'concurrent-requests') return ';qu="concurrent-requests"';
  return `;lk-unit=${sfString(unit)}`;
}

/** RFC 8941 sf-string: printable ASCII only, `"` and `\` escaped. */
export function sfString(s: string): string {
  let out = '"';
  for (const ch of s) {
    const code = ch.charCodeAt(0);
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (ch.length === 1 && code >= 0x20 && code <= 0x7e) out += ch;
    else out += '?';
  }
  return `${out}"`;
}

/** RFC 8941 sf-integer range, non-negative. */
function int(n: number): number {
  if (!Number.isFinite(n) || n < 0) return 0;
  return Math.min(MAX_SF_INTEGER, Math.floor(n));
}

/** delay-seconds, rounded up so a client never retries too early. */
function seconds(ms: number): number {
  return int(Math.ceil(ms / 1000));
}
