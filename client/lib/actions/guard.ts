import { headers } from 'next/headers';
import type { ApiFailure } from '../api';
import { isCrossSite } from '../csrf';

/**
 * First line of every server action. Next checks Origin against Host itself, but skips
 * the check when Origin is `null` (what no-referrer pages send), so check Sec-Fetch-Site.
 */
export async function crossSiteRefusal(): Promise<ApiFailure | null> {
  if (isCrossSite(await headers())) {
    return { ok: false, code: 'CROSS_SITE', message: 'Cross-site request refused.' };
  }
  return null;
}
