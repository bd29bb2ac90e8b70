/** `::ffff:1.2.3.4` → `1.2.3.4` so IPv4 rules match IPv4-mapped IPv6 peers (every transport's client address). */
export function normalizeIp(ip: string): string {
  return ip.startsWith('::ffff:') && ip.includes('.') ? ip.slice(7) : ip;
}
