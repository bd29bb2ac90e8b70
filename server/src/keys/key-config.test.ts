import fc from 'fast-check';
import { AppError, type FieldProblem } from '../infra/app-error';
import { validateKeyConfig, isCountryCode } from './key-config';

function problems(input: unknown, basePath: (string | number)[] = []): FieldProblem[] {
  try {
    validateKeyConfig(input, basePath);
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    expect((e as AppError).code).toBe('BAD_USER_INPUT');
    return (e as AppError).details.fields ?? [];
  }
  throw new Error('expected the configuration to be rejected');
}

describe('validateKeyConfig', () => {
  it('fills defaults for an empty configuration', () => {
    expect(validateKeyConfig(undefined)).toEqual({
      restrictions: {
        ipAllowList: [], referrers: [], countries: [], environmentBinding: false,
        mode: { ip: 'enforce', referrer: 'enforce', country: 'enforce' },
      },
      rateLimit: {},
      tags: [],
      metadata: [],
    });
  });

  it('accepts a full, realistic configuration', () => {
    const cfg = validateKeyConfig({
      restrictions: {
        ipAllowList: ['203.0.113.0/24', '2001:db8::/32', ' 10.0.0.7 ', '::ffff:192.0.2.1'],
        referrers: ['https://*.example.com', '*.example.org', 'app.example.com/path*', 'localhost:3000'],
        countries: ['de', 'US', 'XK'],
        environmentBinding: true,
        mode: { ip: 'report_only' },
      },
      rateLimit: {
        perSecond: 10, perMinute: 100, perHour: 5000, perDay: 100_000,
        burst: { maxBurst: 50, burstWindowSeconds: 10 }, concurrency: 5, maxPayloadBytes: 1_048_576,
        bandwidth: { uploadMbps: 2.5, totalGbPerDay: 10 },
        credits: { amount: 0, refill: { amount: 1000, everySeconds: 3600 } },
        dimensions: [{ name: 'db_queries', limit: 1000, window: 'hour' }],
      },
      rotationPolicy: { everyDays: 90, gracePeriodSeconds: 86_400 },
      tags: ['team:payments', 'tier-1', 'tier-1'],
      metadata: [{ name: 'owner.email', value: 'ops@example.com' }, { name: '$ref', value: '' }],
    });
    expect(cfg.restrictions.ipAllowList[2]).toBe('10.0.0.7');
    expect(cfg.restrictions.countries).toEqual(['DE', 'US', 'XK']);
    expect(cfg.restrictions.mode).toEqual({ ip: 'report_only', referrer: 'enforce', country: 'enforce' });
    expect(cfg.tags).toEqual(['team:payments', 'tier-1']);
    expect(cfg.metadata[1]).toEqual({ name: '$ref', value: '' });
  });

  it('reports every problem with the path of its field', () => {
    const fields = problems(
      {
        restrictions: { ipAllowList: ['10.0.0.0/8', '::1', 'nope'], countries: ['DE', 'XX'], mode: { ip: 'warn' } },
        rateLimit: { perSecond: 0, perMinute: 2.5 },
      },
      ['input'],
    );
    expect(fields.map((f) => f.path)).toEqual([
      ['input', 'restrictions', 'ipAllowList', 2],
      ['input', 'restrictions', 'countries', 1],
      ['input', 'restrictions', 'mode', 'ip'],
      ['input', 'rateLimit', 'perSecond'],
      ['input', 'rateLimit', 'perMinute'],
    ]);
    expect(fields[0]?.message).toMatch(/"nope" is not an IPv4\/IPv6 address or CIDR range/);
    expect(fields[1]?.message).toMatch(/"XX" is not an ISO 3166-1 alpha-2/);
    expect(fields[3]?.message).toBe('must be at least 1');
    expect(fields[4]?.message).toBe('must be a whole number');
  });

  it('names the first problem in the error message', () => {
    expect(() => validateKeyConfig({ restrictions: { ipAllowList: ['x'] }, tags: ['UPPER'] })).toThrow(
      /restrictions\.ipAllowList\.0: "x" is not .* \(and 1 more problem\)/,
    );
  });

  it('suggests the network when a CIDR has host bits set', () => {
    const [f] = problems({ restrictions: { ipAllowList: ['192.168.1.77/24'] } });
    expect(f?.message).toMatch(/did you mean 192\.168\.1\.0\/24\?/);
  });

  it('refuses bad referrer patterns and oversized lists', () => {
    expect(problems({ restrictions: { referrers: ['*', 'https://a.*.com'] } }).map((f) => f.path)).toEqual([
      ['restrictions', 'referrers', 0],
      ['restrictions', 'referrers', 1],
    ]);
    const ips = Array.from({ length: 101 }, (_, i) => `10.0.${i >> 8}.${i & 255}`);
    expect(problems({ restrictions: { ipAllowList: ips } })[0]).toEqual({
      path: ['restrictions', 'ipAllowList'], message: 'at most 100 IP addresses or ranges',
    });
    expect(problems({ restrictions: { countries: Array(251).fill('DE') } })[0]?.message).toMatch(/250/);
    expect(problems({ restrictions: { referrers: Array(51).fill('example.com') } })[0]?.message).toMatch(/50/);
  });

  it('refuses absurd limits with a clear message and zero where meaningless', () => {
    const [f] = problems({ rateLimit: { perSecond: 2e9 } });
    expect(f).toEqual({
      path: ['rateLimit', 'perSecond'],
      message: 'must be at most 1,000,000 requests per second; leave it unset for no limit',
    });
    for (const bad of [
      { concurrency: 0 }, { burst: { maxBurst: 0, burstWindowSeconds: 1 } }, { bandwidth: { uploadMbps: 0 } },
      { bandwidth: {} }, { credits: { amount: 0 } }, { credits: { amount: 5, refill: { amount: 0, everySeconds: 1 } } },
      { maxPayloadBytes: -1 }, { perDay: Number.MAX_SAFE_INTEGER + 2 }, { perHour: '100' },
    ]) {
      expect(problems({ rateLimit: bad }).length).toBeGreaterThan(0);
    }
    expect(problems({ rateLimit: { credits: { amount: 0 } } })[0]?.path).toEqual(['rateLimit', 'credits', 'amount']);
    // Windows are enforced independently; they need not be consistent with each other.
    expect(validateKeyConfig({ rateLimit: { perSecond: 100, perMinute: 10 } }).rateLimit).toEqual({ perSecond: 100, perMinute: 10 });
  });

  it('refuses NaN and Infinity, which MongoDB documents must not hold', () => {
    expect(problems({ rateLimit: { bandwidth: { uploadMbps: Number.POSITIVE_INFINITY } } })[0]?.message).toBe('must be a finite number');
    expect(problems({ rateLimit: { perSecond: Number.NaN } }).length).toBe(1);
  });

  it('catches misspelt fields instead of silently dropping them', () => {
    expect(problems({ rateLimit: { perSecnd: 5 } })).toEqual([{ path: ['rateLimit', 'perSecnd'], message: 'unknown field "perSecnd"' }]);
    expect(problems({ limits: {} })[0]?.path).toEqual(['limits']);
  });

  it('validates the rotation policy', () => {
    expect(validateKeyConfig({ rotationPolicy: { everyDays: 1, gracePeriodSeconds: 0 } }).rotationPolicy).toEqual({
      everyDays: 1, gracePeriodSeconds: 0,
    });
    expect(problems({ rotationPolicy: { everyDays: 0, gracePeriodSeconds: 0 } })[0]?.path).toEqual(['rotationPolicy', 'everyDays']);
    expect(problems({ rotationPolicy: { everyDays: 3651, gracePeriodSeconds: 0 } })).toHaveLength(1);
    expect(problems({ rotationPolicy: { everyDays: 90, gracePeriodSeconds: 31 * 86_400 } })[0]?.message).toMatch(/30 days/);
    expect(problems({ rotationPolicy: { everyDays: 1, gracePeriodSeconds: 86_400 } })[0]?.message).toMatch(/shorter than the rotation/);
    expect(problems({ rotationPolicy: { everyDays: 30 } })[0]).toEqual({ path: ['rotationPolicy', 'gracePeriodSeconds'], message: 'is required' });
  });

  it('validates tags', () => {
    expect(problems({ tags: ['Bad Tag'] })[0]?.path).toEqual(['tags', 0]);
    expect(problems({ tags: ['x'.repeat(41)] })[0]?.message).toMatch(/40/);
    expect(problems({ tags: Array.from({ length: 21 }, (_, i) => `t${i}`) })[0]?.message).toMatch(/20 tags/);
    expect(problems({ tags: [''] })[0]?.message).toBe('must not be empty');
  });

  it('keeps metadata as name/value pairs and refuses duplicates and oversize values', () => {
    expect(problems({ metadata: { owner: 'x' } })[0]?.path).toEqual(['metadata']);
    expect(problems({ metadata: [{ name: 'a', value: '1' }, { name: 'a', value: '2' }] })[0]).toEqual({
      path: ['metadata', 1, 'name'], message: '"a" is listed twice',
    });
    expect(problems({ metadata: [{ name: 'n'.repeat(65), value: '' }] })[0]?.path).toEqual(['metadata', 0, 'name']);
    expect(problems({ metadata: [{ name: 'a', value: 'v'.repeat(1025) }] })[0]?.path).toEqual(['metadata', 0, 'value']);
    expect(problems({ metadata: [{ name: 'a\u0000b', value: '' }] })[0]?.path).toEqual(['metadata', 0, 'name']);
    expect(problems({ metadata: Array.from({ length: 51 }, (_, i) => ({ name: `k${i}`, value: '' })) })[0]?.message).toMatch(/50/);
  });

  it('either returns data or throws a bad-input AppError, whatever the input', () => {
    fc.assert(
      fc.property(fc.anything(), (input) => {
        try {
          validateKeyConfig(input);
          return true;
        } catch (e) {
          return e instanceof AppError && (e.details.fields?.length ?? 0) > 0;
        }
      }),
    );
  });
});

describe('isCountryCode', () => {
  it('knows the ISO list', () => {
    expect(isCountryCode('DE')).toBe(true);
    expect(isCountryCode('UK')).toBe(false);
    expect(isCountryCode('de')).toBe(false);
  });
});
