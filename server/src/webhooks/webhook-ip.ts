import { IPv4, IPv6 } from 'ipaddr.js';
import { parseAddress, type IpAddress } from '../infra/ip';

/**
 * Which addresses a webhook may never reach (SSRF). Webhook URLs are chosen by tenants,
 * and the worker runs inside our network, so anything that is not a public unicast
 * address is refused: loopback, private, link-local, cloud metadata, CGNAT,
 * multicast, broadcast and reserved blocks, also when wrapped in an IPv6 form that
 * embeds an IPv4 address (mapped, compatible, NAT64, 6to4).
 */
export type AddressClass =
  | 'loopback'
  | 'private'
  | 'link-local'
  | 'metadata'
  | 'cgnat'
  | 'unspecified'
  | 'multicast'
  | 'broadcast'
  | 'reserved';

const V4: [string, number, AddressClass][] = [
  ['0.0.0.0', 8, 'unspecified'], // "this network": 0.0.0.0 reaches the local host on Linux
  ['10.0.0.0', 8, 'private'],
  ['100.64.0.0', 10, 'cgnat'],
  ['127.0.0.0', 8, 'loopback'],
  ['169.254.169.254', 32, 'metadata'],
  ['169.254.0.0', 16, 'link-local'],
  ['172.16.0.0', 12, 'private'],
  ['192.0.0.0', 24, 'reserved'], // IETF protocol assignments
  ['192.0.2.0', 24, 'reserved'], // documentation
  ['192.88.99.0', 24, 'reserved'], // 6to4 relay anycast
  ['192.168.0.0', 16, 'private'],
  ['198.18.0.0', 15, 'reserved'], // benchmarking
  ['198.51.100.0', 24, 'reserved'],
  ['203.0.113.0', 24, 'reserved'],
  ['224.0.0.0', 4, 'multicast'],
  ['255.255.255.255', 32, 'broadcast'],
  ['240.0.0.0', 4, 'reserved'],
];

const V6: [string, number, AddressClass][] = [
  ['fd00:ec2::254', 128, 'metadata'], // AWS IMDS over IPv6
  ['100::', 64, 'reserved'], // discard-only
  ['2001::', 23, 'reserved'], // IETF protocol assignments, Teredo
  ['2001:db8::', 32, 'reserved'], // documentation
  ['fc00::', 7, 'private'], // unique local
  ['fe80::', 10, 'link-local'],
  ['fec0::', 10, 'private'], // deprecated site-local
  ['ff00::', 8, 'multicast'],
];

type Range = [IpAddress, number];

function range(net: string, bits: number): Range {
  const a = parseAddress(net, false);
  if (!a) throw new Error(`bad range ${net}`); // a typo in the tables: fail at load, not per request
  return [a, bits];
}
// Checked in table order so the most specific name wins (169.254.169.254 is
// "metadata", not merely "link-local").
const V4_RANGES = V4.map(([net, bits, cls]) => [range(net, bits), cls] as const);
const V6_RANGES = V6.map(([net, bits, cls]) => [range(net, bits), cls] as const);
const NAT64 = range('64:ff9b::', 96);

/** The IPv4 address an IPv6 address carries inside it, when it is one of the embedding forms. */
function embeddedIPv4(v6: IPv6): IPv4 | null {
  const b = v6.toByteArray();
  const zeros = (from: number, to: number) => b.slice(from, to).every((x) => x === 0);
  // ::ffff:a.b.c.d (mapped) and ::a.b.c.d (deprecated "compatible"; `::` becomes 0.0.0.0)
  if (v6.isIPv4MappedAddress() || zeros(0, 12)) return new IPv4(b.slice(12, 16));
  if (v6.match(NAT64)) return new IPv4(b.slice(12, 16));
  // 2002::/16 6to4 carries the IPv4 address in bits 16–47
  if (v6.parts[0] === 0x2002) return new IPv4(b.slice(2, 6));
  return null;
}

function classifyV4(a: IPv4): AddressClass | null {
  for (const [r, cls] of V4_RANGES) if (a.match(r)) return cls;
  return null;
}

/** A literal as a URL or resolver gives it: IPv4, or IPv6 with or without brackets and zone. */
function addressOf(text: string): IpAddress | null {
  const direct = parseAddress(text);
  if (direct) return direct;
  const inner = parseAddress(text.replace(/^\[|\]$/g, ''));
  return inner instanceof IPv6 ? inner : null;
}

/** null when the address is public unicast; otherwise why it is refused. */
export function classifyAddress(address: string): AddressClass | null {
  const a = addressOf(address);
  if (!a) return 'reserved'; // not an address at all: never connect
  if (a instanceof IPv4) return classifyV4(a);
  // ::1 would otherwise read as the "compatible" form of 0.0.0.1
  if (a.range() === 'loopback') return 'loopback';
  const inner = embeddedIPv4(a);
  if (inner) return classifyV4(inner);
  for (const [r, cls] of V6_RANGES) if (a.match(r)) return cls;
  return null;
}
/**
 * Whether a connection to this address is allowed. `allowLoopback` (development and
 * tests: LATCHKEY_WEBHOOK_ALLOW_LOOPBACK) opens loopback only, never private ranges.
 */
export function refusalFor(address: string, allowLoopback: boolean): AddressClass | null {
  const cls = classifyAddress(address);
  if (cls === 'loopback' && allowLoopback) return null;
  return cls;
}
