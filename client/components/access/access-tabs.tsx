import { Tabs } from '@/components/ui/tabs';
import { PageHeader } from '@/components/ui/page-header';

const TABS = [
  { href: '/access/members', label: 'Members' },
  { href: '/access/roles', label: 'Roles' },
  { href: '/access/applications', label: 'Applications' },
  { href: '/access/policy', label: 'Organization policy' },
];

export function AccessHeader({ current, actions }: { current: string; actions?: React.ReactNode }) {
  return (
    <>
      <PageHeader title="Access" description="Who may do what: people, roles, applications and the key policy." actions={actions} />
      <Tabs label="Access sections" tabs={TABS} current={current} />
    </>
  );
}
