import { networkText, parseAddress, unmapped } from '../infra/ip';
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
  const parsed = parseAddress(ip);
  if (!parsed) return null;
  const a = unmapped(parsed);
  return networkText(a, a.kind() === 'ipv4' ? mode.v4Bits : mode.v6Bits);
}
