import { rateLimitHeaders } from './headers';

describe('rate-limit headers of a protected service', () => {
  it('builds draft-11 RateLimit fields and Retry-After from a verify answer', () => {
    expect(rateLimitHeaders({ valid: true, code: 'VALID', ratelimit: { limit: 100, remaining: 42, resetMs: 16_200, window: 'minute' } })).toEqual({
      'RateLimit-Policy': '"minute";q=100;w=60',
      RateLimit: '"minute";r=42;t=17',
    });
    expect(rateLimitHeaders({ valid: false, code: 'RATE_LIMITED', ratelimit: { limit: 5, remaining: 0, resetMs: 2_500, window: 'second' } })['Retry-After']).toBe('3');
    expect(rateLimitHeaders({ valid: true, code: 'VALID' })).toEqual({});
  });
});
