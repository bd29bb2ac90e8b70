'use server';

import { graphql } from '@/gql';
import { gqlRequest } from '../api';

const RateLimitStatus = graphql(`
  query RateLimitStatus($keyId: String!) {
    rateLimitStatus(keyId: $keyId) {
      keyId live adaptiveFactor
      policies { name quota remaining resetSeconds unit windowSeconds }
    }
  }
`);

/**
 * Reads for live panes that poll. Reads change nothing, so no CSRF guard is needed,
 * and the answer only ever goes to the caller's own session.
 */
export async function fetchRateLimitStatus(keyId: string) {
  return gqlRequest(RateLimitStatus, { keyId });
}

/** Several keys at once for the dashboard's busiest-keys pane (one API round trip each, in parallel). */
export async function fetchRateLimitStatuses(keyIds: string[]) {
  const results = await Promise.all(keyIds.slice(0, 10).map((id) => gqlRequest(RateLimitStatus, { keyId: id })));
  return results.map((r, i) => ({ keyId: keyIds[i] as string, status: r.ok ? r.data.rateLimitStatus : null }));
}
