import { isIP } from 'node:net';
import fc from 'fast-check';
import { formatCidr, networkText, parseAddress, parseCidr, parseIp, unmapped } from './ip';

const ipv4Arb = fc.ipV4();
const ipv6Arb = fc.ipV6();

describe('parseIp', () => {
  it('accepts exactly what node:net accepts as IPv4/IPv6 (without zones)', () => {
    fc.assert(fc.property(fc.oneof(ipv4Arb, ipv6Arb), (ip) => parseIp(ip) !== null));
    const junk = fc.string({ unit: fc.constantFrom(...'0123456789abcdefABCDEF:.:/x '), maxLength: 45 });
    fc.assert(fc.property(junk, (s) => (parseIp(s, false) !== null) === (isIP(s) !== 0)), {
      numRuns: 5000,
    });
    // Near-misses: one character of a valid address deleted, replaced or inserted.
    const edited = fc
      .tuple(fc.oneof(ipv4Arb, ipv6Arb), fc.nat(), fc.constantFrom(...'0129afF:.'), fc.constantFrom(0, 1, 2))
      .map(([ip, at, ch, op]) => {
        const i = at % (ip.length + 1);
        return ip.slice(0, i) + (op === 0 ? '' : ch) + ip.slice(op === 2 ? i : i + 1);
      });
    fc.assert(fc.property(edited, (s) => (parseIp(s, false) !== null) === (isIP(s) !== 0)), { numRuns: 5000 });
  });

  it('expands :: compression and embedded IPv4', () => {
    expect(parseIp('::')?.ip).toEqual([0, 0, 0, 0]);
    expect(parseIp('::1')?.ip).toEqual([0, 0, 0, 1]);
    expect(parseIp('2001:db8::')?.ip).toEqual([0x20010db8, 0, 0, 0]);
    expect(parseIp('2001:DB8:0:0:1::1')?.ip).toEqual([0x20010db8, 0, 0x00010000, 1]);
    expect(parseIp('::ffff:1.2.3.4')).toEqual({ ip: [0, 0, 0xffff, 0x01020304], version: 6 });
    expect(parseIp('::ffff:c0a8')).toEqual({ ip: [0, 0, 0, 0xffffc0a8], version: 6 });
    expect(parseIp('::ffff:1.2.3.4%eth0')?.ip).toEqual([0, 0, 0xffff, 0x01020304]);
    for (const bad of ['::ffff:1.2.3', '::ffff:01.2.3.4', '::ffff:1.2.3.4.5']) expect(parseIp(bad)).toBeNull();
    expect(parseIp('1.2.3.4')).toEqual({ ip: [0, 0, 0xffff, 0x01020304], version: 4 });
    expect(parseIp('fe80::1%eth0')?.ip).toEqual([0xfe800000, 0, 0, 1]);
  });

  it('rejects malformed addresses without throwing', () => {
    for (const bad of [
      '', '1.2.3', '1.2.3.4.5', '256.1.1.1', '01.2.3.4', '1.2.3.4 ', ' 1.2.3.4', '1..2.3', '1:2:3:4:5:6:7:8:9',
      '1::2::3', ':1', '1:', '12345::', '::ffff:1.2.3', 'g::1', '1.2.3.4%eth0', '%eth0', '::1%', 'abc', '[::1]',
      '::1.2.3.4:5', '1:2:3:4:5:6:7:1.2.3.4',
    ]) {
      expect(parseIp(bad)).toBeNull();
    }
    expect(parseIp(undefined)).toBeNull();
    expect(parseIp(12 as unknown as string)).toBeNull();
  });
});

describe('parseCidr', () => {
  it('parses single addresses and ranges, noting host bits', () => {
    expect(parseCidr('10.0.0.0/8')).toMatchObject({ bits: 104, version: 4, hostBitsSet: false });
    expect(parseCidr('10.0.0.1/8')).toMatchObject({ hostBitsSet: true });
    expect(formatCidr(parseCidr('10.1.2.3/8') as never)).toBe('10.0.0.0/8');
    expect(formatCidr(parseCidr('2001:db8::1/32') as never)).toBe('2001:db8::/32');
    expect(formatCidr(parseCidr('2001:db8:1:0:0:1:0:0/128') as never)).toBe('2001:db8:1::1:0:0/128');
    expect(parseCidr('::1')).toMatchObject({ bits: 128, version: 6 });
    expect(parseCidr('0.0.0.0/0')).toMatchObject({ bits: 96 });
  });

  it('rejects bad prefix lengths and zones', () => {
    for (const bad of ['10.0.0.0/33', '::/129', '10.0.0.0/', '10.0.0.0/08', '10.0.0.0/-1', '10.0.0.0/8/8', 'fe80::1%eth0/64', 'x/8']) {
      expect(parseCidr(bad)).toBeNull();
    }
  });
});

describe('parseAddress', () => {
  it('accepts what node:net accepts, and none of the short IPv4 forms ipaddr.js alone would', () => {
    fc.assert(fc.property(fc.oneof(ipv4Arb, ipv6Arb), (ip) => parseAddress(ip)?.toString() !== undefined));
    for (const bad of ['127.1', '0x7f.0.0.1', '010.0.0.1', '1.2.3.4%eth0', '::1%', '[::1]', 'abc', '']) expect(parseAddress(bad)).toBeNull();
    expect(parseAddress('fe80::1%eth0')?.toString()).toBe('fe80::1');
    expect(parseAddress('fe80::1%eth0', false)).toBeNull();
  });

  it('reads IPv4-mapped IPv6 as IPv4 and cuts networks to text', () => {
    expect(unmapped(parseAddress('::ffff:c0a8:105') as never).toString()).toBe('192.168.1.5');
    expect(unmapped(parseAddress('::192.168.1.5') as never).kind()).toBe('ipv6');
    expect(networkText(parseAddress('203.0.113.77') as never, 24)).toBe('203.0.113.0');
    expect(networkText(parseAddress('2001:db8:1:2::7') as never, 52)).toBe('2001:db8:1::');
    expect(networkText(parseAddress('2001:db8:1:2::7') as never, 128)).toBe('2001:db8:1:2::7');
  });
});
