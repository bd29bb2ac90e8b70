import { IPv4, IPv6, fromByteArray } from 'ipaddr.js';

/**
 * IP addresses and networks for every rule that reads one: key allow-lists (verify),
 * webhook SSRF ranges, and the truncation of stored addresses (privacy).
 *
 * One parse for all of them (`parseIp`: what node:net's `isIP` accepts, dotted-quad IPv4
 * only, into 128-bit words); ipaddr.js then gives the objects their ranges, IPv4-mapped
 * handling and RFC 5952 text. Neither library parses: ipaddr.js accepts `127.1` and
 * `0x7f.0.0.1` and rewrites the deprecated `::a.b.c.d` into `::ffff:a.b.c.d` (another
 * address), and both are slow for the verify hot path. Measured here per address:
 * ipaddr.js 0.3 µs (IPv4) to 1.7 µs (IPv6), BlockList.check 1.9 µs (a native
 * SocketAddress per call), node:net's isIPv6 regex alone 0.18 µs; `parseIp` 0.1 to 0.2 µs.
 */
export type IpAddress = IPv4 | IPv6;

/** 128 bits in four uint32 words; IPv4 stored IPv4-mapped (::ffff:a.b.c.d). */
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

const MAX_TEXT = 64;

/** An IPv4-mapped IPv6 address (::ffff:a.b.c.d) as the IPv4 address it carries. */
export function unmapped(a: IpAddress): IpAddress {
  return a instanceof IPv6 && a.isIPv4MappedAddress() ? a.toIPv4Address() : a;
}

/** The address with every bit past `bits` cleared, as text (RFC 5952 for IPv6). */
export function networkText(a: IpAddress, bits: number): string {
  const bytes = a.toByteArray();
  for (let i = 0; i < bytes.length; i++) {
    const keep = Math.max(0, Math.min(8, bits - i * 8));
    bytes[i] = (bytes[i] ?? 0) & (keep === 0 ? 0 : (0xff << (8 - keep)) & 0xff);
  }
  return fromByteArray(bytes).toString();
}

function hex(c: number): number {
  return c >= 0x30 && c <= 0x39 ? c - 0x30 : c >= 0x61 && c <= 0x66 ? c - 87 : c >= 0x41 && c <= 0x46 ? c - 55 : -1;
}

/** Dotted quad from `start` to `end` as two 16-bit groups pushed onto `out`; false when malformed. */
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
      const h = hex(s.charCodeAt(j));
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

const word = (g: number[], k: number) => (((g[k] ?? 0) << 16) | (g[k + 1] ?? 0)) >>> 0;

/**
 * The one parse of an address: IPv4 or IPv6 (zone id allowed only when `allowZone`) as
 * words, or null. Accepts exactly what node:net's `isIP` accepts (the tests check it
 * against `isIP` on random and near-miss input) at the cost of one pass and no regex:
 * it runs per request on the verify hot path.
 */
export function parseIp(s: unknown, allowZone = true): { ip: Ip; version: 4 | 6 } | null {
  if (typeof s !== 'string' || s.length < 2 || s.length > MAX_TEXT) return null;
  let end = s.length;
  const zone = s.indexOf('%');
  if (zone >= 0) {
    if (!allowZone || zone === 0 || zone === end - 1) return null;
    end = zone;
  }
  const g: number[] = [];
  if (s.indexOf(':') < 0) {
    if (zone >= 0 || !parseIpv4Into(s, 0, end, g)) return null;
    return { ip: [0, 0, 0xffff, word(g, 0)], version: 4 };
  }
  // What a dual-stack socket reports for an IPv4 peer: skip the general IPv6 parse.
  if (s.startsWith('::ffff:') && s.indexOf(':', 7) < 0 && parseIpv4Into(s, 7, end, g)) return { ip: [0, 0, 0xffff, word(g, 0)], version: 6 };
  const groups = parseIpv6Groups(s, 0, end);
  if (!groups) return null;
  return { ip: [word(groups, 0), word(groups, 2), word(groups, 4), word(groups, 6)], version: 6 };
}

/** An IPv4 or IPv6 address object (zone ids dropped when `allowZone`), or null. Never throws. */
export function parseAddress(s: unknown, allowZone = true): IpAddress | null {
  const p = parseIp(s, allowZone);
  if (!p) return null;
  const [a, b, c, d] = p.ip;
  if (p.version === 4) return new IPv4([d >>> 24, (d >>> 16) & 255, (d >>> 8) & 255, d & 255]);
  return new IPv6([a >>> 16, a & 0xffff, b >>> 16, b & 0xffff, c >>> 16, c & 0xffff, d >>> 16, d & 0xffff]);
}

/** Parses `addr` or `addr/len` (no zone) into a network; a bare address is a /32 or /128. */
export function parseCidr(s: unknown): Cidr | null {
  if (typeof s !== 'string') return null;
  const slash = s.indexOf('/');
  const parsed = parseIp(slash < 0 ? s : s.slice(0, slash), false);
  if (!parsed) return null;
  const { ip, version } = parsed;
  const max = version === 4 ? 32 : 128;
  let len = max;
  if (slash >= 0) {
    const digits = s.slice(slash + 1);
    if (!/^(0|[1-9][0-9]{0,2})$/.test(digits)) return null;
    len = Number(digits);
    if (len > max) return null;
  }
  const bits = version === 4 ? 96 + len : len;
  const mask: Ip = [0, 0, 0, 0];
  const network: Ip = [0, 0, 0, 0];
  let hostBitsSet = false;
  for (let k = 0; k < 4; k++) {
    const b = Math.min(32, Math.max(0, bits - 32 * k));
    mask[k] = b === 0 ? 0 : (0xffffffff << (32 - b)) >>> 0;
    network[k] = (ip[k] & mask[k]) >>> 0;
    if (network[k] !== ip[k]) hostBitsSet = true;
  }
  return { network, mask, bits, version, hostBitsSet };
}

/** Canonical text of a CIDR's network (host bits cleared; RFC 5952 for IPv6), for error messages. */
export function formatCidr(c: Cidr): string {
  const bytes = c.network.flatMap((w) => [w >>> 24, (w >>> 16) & 255, (w >>> 8) & 255, w & 255]);
  if (c.version === 4) return `${fromByteArray(bytes.slice(12)).toString()}/${c.bits - 96}`;
  return `${fromByteArray(bytes).toString()}/${c.bits}`;
}
