import { parseCidr, parseIp } from '../infra/ip';
import { parseReferrerPattern, referrerMatches, splitUrl, type ReferrerPattern } from '../keys/referrer-pattern';

/**
 * Key restrictions compiled once (when a key enters the cache) into matchers the verify
 * hot path calls per request (ARCHITECTURE §5 step 3). Nothing here throws on request
 * input and nothing builds a RegExp from configuration, so patterns cannot inject one.
 *
 * Addresses and CIDRs are parsed by infra/ip (words of 128-bit IPv6, IPv4 stored
 * IPv4-mapped), so an IPv4 rule matches the mapped form a dual-stack socket reports and
 * a ::ffff:0:0/96 rule matches plain IPv4, as node:net's BlockList does.
 */

const COUNTRY = /^[A-Z]{2}$/;

export interface RestrictionLists {
  ipAllowList?: readonly string[];
  referrers?: readonly string[];
  countries?: readonly string[];
}

export interface CompiledRestrictions {
  /** False for unparseable addresses whenever an allow-list exists. */
  checkIp(ip: string): boolean;
  /** False for a missing or unparseable referrer whenever patterns exist. */
  checkReferrer(ref: string | undefined): boolean;
  /** False for an unknown country whenever a country list exists. */
  checkCountry(cc: string | undefined): boolean;
  /** Stored entries that could not be compiled; they match nothing (fail closed). */
  invalidEntries: string[];
}

const allow = () => true;

/** Compiles restriction lists; an empty or missing list means "no restriction". */
export function compileRestrictions(r: RestrictionLists): CompiledRestrictions {
  const invalidEntries: string[] = [];
  let checkIp: (ip: string) => boolean = allow;
  if (r.ipAllowList?.length) {
    // Flat [network0..3, mask0..3] per rule: a tight loop with no object hops.
    const rules: number[] = [];
    for (const entry of r.ipAllowList) {
      const c = parseCidr(entry);
      if (c) rules.push(...c.network, ...c.mask);
      else invalidEntries.push(entry);
    }
    const table = Uint32Array.from(rules);
    checkIp = (ip) => {
      const parsed = parseIp(ip);
      if (!parsed) return false;
      const [a, b, c, d] = parsed.ip;
      for (let k = 0; k < table.length; k += 8) {
        if (
          ((a & table[k + 4]) >>> 0) === table[k] && ((b & table[k + 5]) >>> 0) === table[k + 1] &&
          ((c & table[k + 6]) >>> 0) === table[k + 2] && ((d & table[k + 7]) >>> 0) === table[k + 3]
        ) return true;
      }
      return false;
    };
  }

  let checkReferrer: (ref: string | undefined) => boolean = allow;
  if (r.referrers?.length) {
    const patterns: ReferrerPattern[] = [];
    for (const entry of r.referrers) {
      const p = parseReferrerPattern(entry);
      if (p) patterns.push(p);
      else invalidEntries.push(entry);
    }
    checkReferrer = (ref) => {
      if (typeof ref !== 'string') return false;
      const parts = splitUrl(ref.trim(), false);
      if (!parts) return false;
      for (const p of patterns) if (referrerMatches(p, parts)) return true;
      return false;
    };
  }

  let checkCountry: (cc: string | undefined) => boolean = allow;
  if (r.countries?.length) {
    const set = new Set<string>();
    for (const entry of r.countries) {
      const up = typeof entry === 'string' ? entry.toUpperCase() : '';
      if (COUNTRY.test(up)) set.add(up);
      else invalidEntries.push(String(entry));
    }
    checkCountry = (cc) => typeof cc === 'string' && cc.length === 2 && set.has(cc.toUpperCase());
  }

  return { checkIp, checkReferrer, checkCountry, invalidEntries };
}
