// The module's GraphQL document and API client are not what is tested here.
jest.mock('@/gql', () => ({ graphql: (source: string) => source }));
jest.mock('./api', () => ({ gqlRequest: jest.fn() }));

import { PERIODS, periodRange } from './usage';

describe('usage periods', () => {
  it('end now and reach back the period’s length', () => {
    const now = Date.parse('2026-03-15T12:00:00Z');
    expect(periodRange('1h', now)).toEqual({ from: '2026-03-15T11:00:00.000Z', to: '2026-03-15T12:00:00.000Z' });
    expect(periodRange('7d', now)).toEqual({ from: '2026-03-08T12:00:00.000Z', to: '2026-03-15T12:00:00.000Z' });
  });

  it('use buckets fine enough to draw and coarse enough to stay small', () => {
    expect(Object.fromEntries(Object.entries(PERIODS).map(([k, p]) => [k, p.granularity]))).toEqual({ '1h': 'MINUTE', '24h': 'HOUR', '7d': 'HOUR', '30d': 'DAY' });
  });
});
