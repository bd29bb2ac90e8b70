import { parseCidr, parseIp } from '../infra/ip';

/**
 * Key restrictions compiled once (when a key enters the cache) into matchers the verify
 * hot path calls per request (ARCHITECTURE §5 step 3). Nothing here throws on request
 * input and nothing builds a RegExp from configuration, so patterns cannot inject one.
 *
 * Addresses and CIDRs are parsed by infra/ip (words of 128-bit IPv6, IPv4 stored
 * IPv4-mapped), so an IPv4 rule matches the mapped form a dual-stack socket reports and
 * a ::ffff:0:0/96 rule matches plain IPv4, as node:net's BlockList does.
 */

export interface ReferrerPattern {
  scheme?: string; // undefined = any scheme
  host: string; // lowercase, without the `*.`
  subdomains: boolean; // `*.host`: any subdomain, not the host itself
  port?: string; // undefined = any port
  path?: string; // undefined = any path
  pathIsPrefix: boolean; // the pattern's path ended in `*`
}

type UrlParts = { scheme?: string; host: string; port?: string; path: string };

const HOST_CHAR = /^[a-z0-9.-]+$/;

/**
 * Splits `[scheme://]host[:port][/path]`. Browsers send referrers as serialized URLs, so
 * anything unusual (userinfo, backslashes, non-ASCII, IPv6 literals) is refused rather
 * than guessed at: a refused referrer fails closed.
 */
function splitUrl(raw: string, allowWildcards: boolean): UrlParts | null {
  if (raw.length === 0 || raw.length > 2048 || raw.includes('@') || raw.includes('\\')) return null;
  let rest = raw;
  let scheme: string | undefined;
  const sep = rest.indexOf('://');
  if (sep >= 0) {
    scheme = rest.slice(0, sep).toLowerCase();
    if (!/^[a-z][a-z0-9+.-]{0,31}$/.test(scheme)) return null;
    rest = rest.slice(sep + 3);
  }
  const hostEnd = rest.search(/[/?#]|$/);
  const pathEnd = rest.search(/[?#]|$/); // never before hostEnd: the host stops at '?'/'#' too
  let host = rest.slice(0, hostEnd).toLowerCase();
  const path = rest.slice(hostEnd, pathEnd);
  let port: string | undefined;
  const colon = host.lastIndexOf(':');
  if (colon >= 0) {
    port = host.slice(colon + 1);
    host = host.slice(0, colon);
    if (!/^[0-9]{1,5}$/.test(port) || Number(port) > 65535) return null;
  }
  // Browsers omit default ports; so do we, so `https://x:443` and `https://x` agree.
  if ((scheme === 'https' && port === '443') || (scheme === 'http' && port === '80')) port = undefined;
  if (host.endsWith('.')) host = host.slice(0, -1);
  const bare = allowWildcards && host.startsWith('*.') ? host.slice(2) : host;
  if (!HOST_CHAR.test(bare) || bare.startsWith('.') || bare.includes('..')) return null;
  return { scheme, host, port, path: path || '/' };
}

/**
 * Parses a referrer pattern: `[scheme://](host|*.host)[:port][/path[*]]`. Only a leading
 * `*.` on the host and a trailing `*` on the path are wildcards.
 */
export function parseReferrerPattern(pattern: unknown): ReferrerPattern | null {
  if (typeof pattern !== 'string') return null;
  let text = pattern.trim();
  if (text.includes('?') || text.includes('#')) return null;
  const schemeEnd = text.indexOf('://');
  const hasPath = text.indexOf('/', schemeEnd >= 0 ? schemeEnd + 3 : 0) >= 0;
  const pathIsPrefix = hasPath && text.endsWith('*');
  if (pathIsPrefix) text = text.slice(0, -1);
  const parts = splitUrl(text, true);
  if (!parts || parts.path.includes('*')) return null;
  const subdomains = parts.host.startsWith('*.');
  return {
    scheme: parts.scheme,
    host: subdomains ? parts.host.slice(2) : parts.host,
    subdomains,
    port: parts.port,
    path: hasPath ? parts.path : undefined,
    pathIsPrefix,
  };
}

function referrerMatches(p: ReferrerPattern, r: UrlParts): boolean {
  if (p.scheme !== undefined && p.scheme !== r.scheme) return false;
  if (p.port !== undefined && p.port !== r.port) return false;
  if (p.subdomains) {
    if (!(r.host.length > p.host.length + 1 && r.host.endsWith(p.host) && r.host[r.host.length - p.host.length - 1] === '.')) return false;
  } else if (r.host !== p.host) return false;
  if (p.path === undefined) return true;
  return p.pathIsPrefix ? r.path.startsWith(p.path) : r.path === p.path;
}

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
