import { parseIpTruncation, truncateIp } from './ip-truncation';

const std = parseIpTruncation('/24,/48');

describe('truncateIp', () => {
  it('cuts IPv4 addresses to their /24 network', () => {
    expect(truncateIp('203.0.113.77', std)).toBe('203.0.113.0');
    expect(truncateIp('::ffff:198.51.100.9', std)).toBe('198.51.100.0');
    expect(truncateIp('::ffff:c633:6409', std)).toBe('198.51.100.0'); // the same address written in hex
  });

  it('cuts IPv6 addresses to their /48 network in RFC 5952 form', () => {
    expect(truncateIp('2001:db8:1:2::7', std)).toBe('2001:db8:1::');
    expect(truncateIp('2001:0DB8:abcd:0012:0000:0000:0000:0001', std)).toBe('2001:db8:abcd::');
    expect(truncateIp('::1', std)).toBe('::');
  });

  it('keeps addresses whole with none, and drops what is not an address when truncating', () => {
    expect(truncateIp('203.0.113.77', 'none')).toBe('203.0.113.77');
    expect(truncateIp('not-an-ip', std)).toBeNull();
    expect(truncateIp('', std)).toBeNull();
  });

  it('honours other prefix lengths', () => {
    const m = parseIpTruncation('/16,/32');
    expect(truncateIp('10.20.30.40', m)).toBe('10.20.0.0');
    expect(truncateIp('2001:db8:ffff:1::', m)).toBe('2001:db8::');
    expect(truncateIp('10.20.30.40', parseIpTruncation('/32,/128'))).toBe('10.20.30.40');
    expect(truncateIp('10.20.30.40', parseIpTruncation('/0,/0'))).toBe('0.0.0.0');
  });

  it('refuses malformed modes', () => {
    expect(() => parseIpTruncation('/33,/48')).toThrow();
    expect(() => parseIpTruncation('24')).toThrow();
    expect(parseIpTruncation(' NONE ')).toBe('none');
  });
});
