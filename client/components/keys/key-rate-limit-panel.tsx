import { fetchRateLimitStatus } from '@/lib/actions/reads';
import { Panel } from '@/components/ui/page-header';
import { ErrorState } from '@/components/ui/states';
import { RateLimitLive } from './rate-limit-live';

export async function KeyRateLimitPanel({ keyId }: { keyId: string }) {
  const result = await fetchRateLimitStatus(keyId);
  return (
    <Panel title="Rate-limit status" id="ratelimit">
      {result.ok ? <RateLimitLive keyId={keyId} initial={result.data.rateLimitStatus} /> : <ErrorState error={result} />}
    </Panel>
  );
}
