import { BlockList, isIPv4, isIPv6 } from 'node:net';

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

// One BlockList per class, checked in table order so the most specific name wins
// (169.254.169.254 is "metadata", not merely "link-local").
function lists(table: [string, number, AddressClass][], type: 'ipv4' | 'ipv6'): [BlockList, AddressClass][] {
  return table.map(([net, bits, cls]) => {
    const b = new BlockList();
    b.addSubnet(net, bits, type);
    return [b, cls];
  });
}
const V4_LISTS = lists(V4, 'ipv4');
const V6_LISTS = lists(V6, 'ipv6');

/** Expands an IPv6 literal (with or without brackets, zone or embedded IPv4) to 16 bytes. */
export function ipv6Bytes(input: string): Buffer | null {
  let s = input.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  if (!isIPv6(s)) return null;
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  if (v4?.[1]) {
    const [a, b, c, d] = v4[1].split('.').map(Number) as [number, number, number, number];
    s = s.slice(0, -v4[1].length) + `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = s.includes('::') ? (s.split('::') as [string, string]) : [s, undefined];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = tail === undefined ? h : [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t];
  if (groups.length !== 8) return null;
  const out = Buffer.alloc(16);
  groups.forEach((g, i) => out.writeUInt16BE(parseInt(g, 16), i * 2));
  return out;
}

function v4FromBytes(b: Buffer, offset: number): string {
  return `${b[offset]}.${b[offset + 1]}.${b[offset + 2]}.${b[offset + 3]}`;
}

/** The IPv4 address an IPv6 address carries inside it, when it is one of the embedding forms. */
export function embeddedIPv4(v6: Buffer): string | null {
  const zeros = (from: number, to: number) => v6.subarray(from, to).every((x) => x === 0);
  // ::ffff:a.b.c.d (mapped) and ::a.b.c.d (deprecated "compatible"; `::` becomes 0.0.0.0)
  if (zeros(0, 10) && v6[10] === 0xff && v6[11] === 0xff) return v4FromBytes(v6, 12);
  if (zeros(0, 12)) return v4FromBytes(v6, 12);
  // 64:ff9b::/96 NAT64
  if (v6.readUInt16BE(0) === 0x64 && v6.readUInt16BE(2) === 0xff9b && zeros(4, 12)) return v4FromBytes(v6, 12);
  // 2002::/16 6to4 carries the IPv4 address in bits 16–47
  if (v6.readUInt16BE(0) === 0x2002) return v4FromBytes(v6, 2);
  return null;
}

/** null when the address is public unicast; otherwise why it is refused. */
export function classifyAddress(address: string): AddressClass | null {
  if (isIPv4(address)) {
    for (const [b, cls] of V4_LISTS) if (b.check(address, 'ipv4')) return cls;
    return null;
  }
  const bytes = ipv6Bytes(address);
  if (!bytes) return 'reserved'; // not an address at all: never connect
  // ::1 would otherwise read as the "compatible" form of 0.0.0.1
  if (bytes.subarray(0, 15).every((x) => x === 0) && bytes[15] === 1) return 'loopback';
  const inner = embeddedIPv4(bytes);
  if (inner) return classifyAddress(inner);
  const canonical = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  for (const [b, cls] of V6_LISTS) if (b.check(canonical, 'ipv6')) return cls;
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
