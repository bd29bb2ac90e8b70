import { isIP } from 'node:net';
import type { IpTruncation } from '../infra/ip-truncation-mode';

// The mode is parsed with the configuration (infra); this module applies it.
export { parseIpTruncation, type IpTruncation } from '../infra/ip-truncation-mode';

/**
 * The address cut to its network prefix (host bits zeroed), e.g. 203.0.113.77 → 203.0.113.0
 * with /24 and 2001:db8:1:2::7 → 2001:db8:1:: with /48. IPv4-mapped IPv6 addresses are
 * treated as IPv4. Anything that is not an IP address comes back unchanged only when
 * the mode is `none`; otherwise it becomes null — a stored log must never keep a value
 * we could not anonymize.
 */
export function truncateIp(ip: string | null | undefined, mode: IpTruncation): string | null {
  if (ip === null || ip === undefined || ip === '') return null;
  if (mode === 'none') return ip;
  const plain = ip.startsWith('::ffff:') && isIP(ip.slice(7)) === 4 ? ip.slice(7) : ip;
  const family = isIP(plain);
  if (family === 4) return truncateV4(plain, mode.v4Bits);
  if (family === 6) return truncateV6(plain, mode.v6Bits);
  return null;
}

function truncateV4(ip: string, bits: number): string {
  const n = ip.split('.').reduce((acc, o) => acc * 256 + Number(o), 0);
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  const kept = (n & mask) >>> 0;
  return [24, 16, 8, 0].map((s) => (kept >>> s) & 0xff).join('.');
}

function truncateV6(ip: string, bits: number): string {
  const groups = expandV6(ip);
  const out: number[] = [];
  for (let i = 0; i < 8; i++) {
    const keep = Math.max(0, Math.min(16, bits - i * 16));
    const mask = keep === 0 ? 0 : (0xffff << (16 - keep)) & 0xffff;
    out.push((groups[i] ?? 0) & mask);
  }
  return compressV6(out);
}

/** Eight 16-bit groups of an IPv6 address (an embedded IPv4 tail included). */
function expandV6(ip: string): number[] {
  let s = ip.split('%')[0] ?? ip; // zone ids name a local interface, not part of the address
  const v4Tail = /(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  if (v4Tail?.[1]) {
    const o = v4Tail[1].split('.').map(Number);
    s = `${s.slice(0, -v4Tail[1].length)}${(((o[0] ?? 0) << 8) | (o[1] ?? 0)).toString(16)}:${(((o[2] ?? 0) << 8) | (o[3] ?? 0)).toString(16)}`;
  }
  const [head = '', tail] = s.split('::');
  const h = head ? head.split(':') : [];
  const t = tail !== undefined && tail !== '' ? tail.split(':') : [];
  const fill = tail !== undefined ? 8 - h.length - t.length : 0;
  return [...h, ...Array<string>(fill).fill('0'), ...t].map((g) => parseInt(g, 16) || 0);
}

/** RFC 5952 text: lower case, the longest run (≥ 2) of zero groups as `::`. */
function compressV6(groups: number[]): string {
  let best = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestLen < 2) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`;
}
