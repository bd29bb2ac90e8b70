/**
 * Key restrictions compiled once (when a key enters the cache) into matchers the verify
 * hot path calls per request (ARCHITECTURE §5 step 3). Nothing here throws on request
 * input and nothing builds a RegExp from configuration, so patterns cannot inject one.
 *
 * Addresses are 128-bit IPv6 in four uint32 words, IPv4 stored IPv4-mapped (::ffff:a.b.c.d),
 * so an IPv4 rule matches the mapped form a dual-stack socket reports and a ::ffff:0:0/96
 * rule matches plain IPv4. node:net's BlockList agrees (the tests use it as an oracle) but
 * cannot say whether a rule has host bits set, which config validation reports.
 */

export type Ip = [number, number, number, number];

export interface Cidr {
  /** Network address with host bits cleared. */
  network: Ip;
  mask: Ip;
  /** Prefix length in IPv6 terms (IPv4 /n is stored as /96+n). */
  bits: number;
  version: 4 | 6;
  /** The rule named an address inside the network, e.g. 10.0.0.1/8. */
  hostBitsSet: boolean;
}

function parseIpv4Into(s: string, start: number, end: number, out: number[]): boolean {
  let value = 0, octets = 0, digits = 0, octet = 0;
  for (let i = start; i <= end; i++) {
    const c = i < end ? s.charCodeAt(i) : 0x2e;
    if (c === 0x2e) {
      if (digits === 0 || octet > 255 || octets === 4) return false;
      value = value * 256 + octet;
      octets++;
      digits = octet = 0;
    } else if (c >= 0x30 && c <= 0x39) {
      if (digits > 0 && octet === 0) return false; // leading zeros read as octal elsewhere
      octet = octet * 10 + (c - 0x30);
      if (++digits > 3) return false;
    } else return false;
  }
  if (octets !== 4) return false;
  out.push(value >>> 16, value & 0xffff);
  return true;
}

/** 16-bit groups of an IPv6 address (with optional trailing dotted IPv4), or null. */
function parseIpv6Groups(s: string, start: number, end: number): number[] | null {
  const head: number[] = [];
  const tail: number[] = [];
  let groups = head, compressed = false, i = start;
  if (s.charCodeAt(i) === 0x3a) {
    if (s.charCodeAt(i + 1) !== 0x3a) return null;
    [compressed, groups, i] = [true, tail, i + 2];
  }
  while (i < end) {
    let j = i, value = 0;
    for (; j < end && j - i < 5; j++) {
      const c = s.charCodeAt(j);
      const h = c >= 0x30 && c <= 0x39 ? c - 0x30 : c >= 0x61 && c <= 0x66 ? c - 87 : c >= 0x41 && c <= 0x46 ? c - 55 : -1;
      if (h < 0) break;
      value = value * 16 + h;
    }
    if (j < end && s.charCodeAt(j) === 0x2e) {
      if (!parseIpv4Into(s, i, end, groups)) return null;
      break; // a dotted IPv4 can only come last
    }
    if (j === i || j - i > 4) return null;
    groups.push(value);
    if (j === end) break;
    if (s.charCodeAt(j) !== 0x3a) return null;
    if (s.charCodeAt(j + 1) === 0x3a) {
      if (compressed) return null;
      [compressed, groups, i] = [true, tail, j + 2];
    } else {
      if (j + 1 === end) return null; // trailing single ':'
      i = j + 1;
    }
  }
  const total = head.length + tail.length;
  if (compressed ? total > 7 : total !== 8) return null;
  return [...head, ...new Array<number>(8 - total).fill(0), ...tail];
}

/** Parses an IPv4 or IPv6 address (zone id allowed only when `allowZone`), or null. */
export function parseIp(s: unknown, allowZone = true): { ip: Ip; version: 4 | 6 } | null {
  if (typeof s !== 'string' || s.length < 2 || s.length > 64) return null;
  let end = s.length;
  const zone = s.indexOf('%');
  if (zone >= 0) {
    if (!allowZone || zone === 0 || zone === end - 1) return null;
    end = zone;
  }
  if (s.indexOf(':') < 0) {
    const g: number[] = [];
    if (zone >= 0 || !parseIpv4Into(s, 0, end, g)) return null;
    return { ip: [0, 0, 0xffff, ((g[0] ?? 0) << 16 | (g[1] ?? 0)) >>> 0], version: 4 };
  }
  const g = parseIpv6Groups(s, 0, end);
  if (!g) return null;
  const w = (k: number) => (((g[k] ?? 0) << 16) | (g[k + 1] ?? 0)) >>> 0;
  return { ip: [w(0), w(2), w(4), w(6)], version: 6 };
}

/** Parses `addr` or `addr/len` into a network; a bare address is a /32 or /128. */
export function parseCidr(s: unknown): Cidr | null {
  if (typeof s !== 'string') return null;
  const slash = s.indexOf('/');
  const parsed = parseIp(slash < 0 ? s : s.slice(0, slash), false);
  if (!parsed) return null;
  const max = parsed.version === 4 ? 32 : 128;
  let len = max;
  if (slash >= 0) {
    const digits = s.slice(slash + 1);
    if (!/^(0|[1-9][0-9]{0,2})$/.test(digits)) return null;
    len = Number(digits);
    if (len > max) return null;
  }
  const bits = parsed.version === 4 ? 96 + len : len;
  const mask: Ip = [0, 0, 0, 0];
  const network: Ip = [0, 0, 0, 0];
  let hostBitsSet = false;
  for (let k = 0; k < 4; k++) {
    const b = Math.min(32, Math.max(0, bits - 32 * k));
    mask[k] = b === 0 ? 0 : (0xffffffff << (32 - b)) >>> 0;
    network[k] = (parsed.ip[k] & mask[k]) >>> 0;
    if (network[k] !== parsed.ip[k]) hostBitsSet = true;
  }
  return { network, mask, bits, version: parsed.version, hostBitsSet };
}

/** Canonical text of a CIDR's network (host bits cleared), for helpful error messages. */
export function formatCidr(c: Cidr): string {
  const [a, b, cc, d] = c.network;
  if (c.version === 4) return `${d >>> 24}.${(d >>> 16) & 255}.${(d >>> 8) & 255}.${d & 255}/${c.bits - 96}`;
  const groups = [a >>> 16, a & 0xffff, b >>> 16, b & 0xffff, cc >>> 16, cc & 0xffff, d >>> 16, d & 0xffff];
  // WHATWG URL serializes IPv6 hosts in RFC 5952 form (zero runs compressed).
  const text = new URL(`http://[${groups.map((g) => g.toString(16)).join(':')}]`).hostname.slice(1, -1);
  return `${text}/${c.bits}`;
}

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
