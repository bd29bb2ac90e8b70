import { Tabs } from '@/components/ui/tabs';

const TOOLS = [
  { href: '/tools/explorer', label: 'GraphQL explorer' },
  { href: '/tools/permissions', label: 'Permission checker' },
  { href: '/tools/rate-limits', label: 'Rate-limit monitor' },
  { href: '/tools/usage', label: 'Usage analyzer' },
  { href: '/tools/logs', label: 'Log viewer' },
];

export function ToolsTabs({ current }: { current: string }) {
  return <Tabs label="Tools" tabs={TOOLS} current={current} />;
}
