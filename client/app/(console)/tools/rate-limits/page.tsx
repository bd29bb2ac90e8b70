import type { Metadata } from 'next';
import { firstParam } from '@/lib/key-options';
import { PageHeader } from '@/components/ui/page-header';
import { EmptyState } from '@/components/ui/states';
import { ToolsTabs } from '@/components/tools/tools-tabs';
import { KeyPicker } from '@/components/tools/key-picker';
import { KeyRateLimitPanel } from '@/components/keys/key-rate-limit-panel';

export const metadata: Metadata = { title: 'Rate-limit monitor' };

export default async function RateLimitMonitorPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const key = firstParam((await searchParams).key);
  return (
    <>
      <PageHeader title="Tools" description="Explore the API and answer “why” questions about keys and limits." />
      <ToolsTabs current="/tools/rate-limits" />
      <KeyPicker action="/tools/rate-limits" selected={key} />
      {key ? <KeyRateLimitPanel keyId={key} /> : <EmptyState title="Choose a key">Every limit of the key, live from the limiter, with denials as they happen.</EmptyState>}
    </>
  );
}
