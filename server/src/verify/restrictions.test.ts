import { BlockList, isIP } from 'node:net';
import fc from 'fast-check';
import { compileRestrictions } from './restrictions';
import { parseReferrerPattern } from '../keys/referrer-pattern';

const ipv4Arb = fc.ipV4();
const ipv6Arb = fc.ipV6();

describe('checkIp', () => {
  const v4 = compileRestrictions({ ipAllowList: ['192.168.1.0/24', '10.0.0.7'] });
  const v6 = compileRestrictions({ ipAllowList: ['2001:db8:abcd::/48', '::1'] });

  it('matches IPv4 ranges and single addresses', () => {
    expect(v4.checkIp('192.168.1.200')).toBe(true);
    expect(v4.checkIp('192.168.2.1')).toBe(false);
    expect(v4.checkIp('10.0.0.7')).toBe(true);
    expect(v4.checkIp('10.0.0.8')).toBe(false);
  });

  it('matches IPv6 ranges, including compressed and uppercase forms', () => {
    expect(v6.checkIp('2001:db8:abcd:12::1')).toBe(true);
    expect(v6.checkIp('2001:DB8:ABCD:FFFF:FFFF:FFFF:FFFF:FFFF')).toBe(true);
    expect(v6.checkIp('2001:db8:abce::1')).toBe(false);
    expect(v6.checkIp('0:0:0:0:0:0:0:1')).toBe(true);
    expect(v6.checkIp('fe80::1%eth0')).toBe(false);
  });

  it('treats IPv4-mapped IPv6 and IPv4 as the same address, both ways', () => {
    expect(v4.checkIp('::ffff:192.168.1.5')).toBe(true);
    expect(v4.checkIp('::ffff:c0a8:105')).toBe(true);
    expect(v4.checkIp('::ffff:192.168.2.5')).toBe(false);
    const mapped = compileRestrictions({ ipAllowList: ['::ffff:10.0.0.0/104'] });
    expect(mapped.checkIp('10.200.3.4')).toBe(true);
    expect(mapped.checkIp('11.0.0.1')).toBe(false);
    // IPv4-compatible (::a.b.c.d) is a different, deprecated form and is not IPv4.
    expect(v4.checkIp('::192.168.1.5')).toBe(false);
  });

  it('returns false for unparseable input and never throws', () => {
    for (const bad of ['', 'localhost', '999.1.1.1', '::g', 'null']) expect(v4.checkIp(bad)).toBe(false);
    expect(v4.checkIp(undefined as unknown as string)).toBe(false);
    fc.assert(fc.property(fc.string(), (s) => typeof v6.checkIp(s) === 'boolean'));
  });

  it('agrees with node:net BlockList on random addresses and ranges', () => {
    const rule = fc.oneof(
      fc.tuple(ipv4Arb, fc.integer({ min: 0, max: 32 })).map(([a, n]) => ({ a, n, t: 'ipv4' as const })),
      fc.tuple(ipv6Arb, fc.integer({ min: 0, max: 128 })).map(([a, n]) => ({ a, n, t: 'ipv6' as const })),
    );
    // Probe near each rule too, or random addresses would almost never match.
    fc.assert(
      fc.property(fc.array(rule, { minLength: 1, maxLength: 5 }), fc.oneof(ipv4Arb, ipv6Arb), (rules, probe) => {
        const list = new BlockList();
        for (const r of rules) list.addSubnet(r.a, r.n, r.t);
        const ours = compileRestrictions({ ipAllowList: rules.map((r) => `${r.a}/${r.n}`) });
        for (const ip of [probe, ...rules.map((r) => r.a)]) {
          if (ours.checkIp(ip) !== list.check(ip, isIP(ip) === 4 ? 'ipv4' : 'ipv6')) return false;
        }
        return true;
      }),
      { numRuns: 500 },
    );
  });

  it('allows everything when the list is empty, and nothing when every entry is invalid', () => {
    expect(compileRestrictions({ ipAllowList: [] }).checkIp('garbage')).toBe(true);
    expect(compileRestrictions({}).checkIp('1.2.3.4')).toBe(true);
    const broken = compileRestrictions({ ipAllowList: ['not-an-ip'] });
    expect(broken.checkIp('1.2.3.4')).toBe(false);
    expect(broken.invalidEntries).toEqual(['not-an-ip']);
  });
});

describe('checkReferrer', () => {
  const r = compileRestrictions({
    referrers: ['https://*.example.com', 'app.example.org/docs*', 'exact.example.net/only', 'localhost:3000'],
  });

  it('matches subdomains of a *. pattern but not the bare domain', () => {
    expect(r.checkReferrer('https://a.example.com/page?q=1')).toBe(true);
    expect(r.checkReferrer('https://a.b.example.com/')).toBe(true);
    expect(r.checkReferrer('https://example.com/')).toBe(false);
    expect(r.checkReferrer('https://badexample.com/')).toBe(false);
    expect(r.checkReferrer('https://example.com.evil.io/')).toBe(false);
  });

  it('honours a scheme only when the pattern names one', () => {
    expect(r.checkReferrer('http://a.example.com/')).toBe(false);
    expect(r.checkReferrer('http://app.example.org/docs/x')).toBe(true);
    expect(r.checkReferrer('https://app.example.org/docs')).toBe(true);
  });

  it('matches paths by prefix with a trailing * and exactly otherwise', () => {
    expect(r.checkReferrer('https://app.example.org/blog')).toBe(false);
    expect(r.checkReferrer('https://exact.example.net/only')).toBe(true);
    expect(r.checkReferrer('https://exact.example.net/only?x=1#y')).toBe(true);
    expect(r.checkReferrer('https://exact.example.net/only/more')).toBe(false);
    expect(r.checkReferrer('https://exact.example.net')).toBe(false);
  });

  it('compares hosts case-insensitively and ignores default ports and a trailing dot', () => {
    expect(r.checkReferrer('HTTPS://A.EXAMPLE.COM/')).toBe(true);
    expect(r.checkReferrer('https://a.example.com:443/')).toBe(true);
    expect(r.checkReferrer('https://a.example.com./')).toBe(true);
    expect(r.checkReferrer('http://localhost:3000/')).toBe(true);
    expect(r.checkReferrer('http://localhost:3001/')).toBe(false);
    expect(r.checkReferrer('localhost:3000')).toBe(true);
  });

  it('fails closed on missing, tricky or malformed referrers', () => {
    for (const bad of [
      undefined, '', 'null', 'https://evil.io@a.example.com/', 'https://a.example.com\\@evil.io', 'https://a.example.com:99999/',
      'https://a.exa mple.com/', 'https://ä.example.com/', 'javascript:alert(1)',
    ]) {
      expect([bad, r.checkReferrer(bad)]).toEqual([bad, false]);
    }
    fc.assert(fc.property(fc.string(), (s) => typeof r.checkReferrer(s) === 'boolean'));
  });

  it('treats pattern text literally (no regular-expression injection)', () => {
    const lit = compileRestrictions({ referrers: ['a.b.example.com'] });
    expect(lit.checkReferrer('https://aXb.example.com/')).toBe(false);
    expect(lit.checkReferrer('https://a.b.example.com/')).toBe(true);
    expect(compileRestrictions({ referrers: ['(.*)'] }).checkReferrer('https://x.io/')).toBe(false);
  });

  it('parses and refuses patterns', () => {
    expect(parseReferrerPattern('*.example.com')).toEqual({
      scheme: undefined, host: 'example.com', subdomains: true, port: undefined, path: undefined, pathIsPrefix: false,
    });
    expect(parseReferrerPattern('https://app.example.com/path*')).toMatchObject({ path: '/path', pathIsPrefix: true });
    for (const bad of ['*', '*.', 'a.*.com', 'ex*ample.com', 'example.com/a*b', 'example.com?x', 'user@example.com', '', 'http://']) {
      expect(parseReferrerPattern(bad)).toBeNull();
    }
  });
});

describe('checkCountry', () => {
  it('matches listed ISO codes case-insensitively and refuses unknown ones', () => {
    const c = compileRestrictions({ countries: ['DE', 'FR'] });
    expect(c.checkCountry('DE')).toBe(true);
    expect(c.checkCountry('fr')).toBe(true);
    expect(c.checkCountry('US')).toBe(false);
    expect(c.checkCountry(undefined)).toBe(false);
    expect(c.checkCountry('DEU')).toBe(false);
    expect(compileRestrictions({ countries: [] }).checkCountry(undefined)).toBe(true);
  });
});
