import type { Metadata } from 'next';
import { PageHeader } from '@/components/ui/page-header';
import { ToolsTabs } from '@/components/tools/tools-tabs';
import { Explorer } from '@/components/tools/explorer-loader';

export const metadata: Metadata = { title: 'GraphQL explorer' };

export default function ExplorerPage() {
  return (
    <>
      <PageHeader title="Tools" description="Explore the API and answer “why” questions about keys and limits." />
      <ToolsTabs current="/tools/explorer" />
      <Explorer />
    </>
  );
}
