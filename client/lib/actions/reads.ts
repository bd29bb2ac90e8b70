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
