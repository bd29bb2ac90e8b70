import type { Metadata } from 'next';
import { graphql } from '@/gql';
import { gqlRequest } from '@/lib/api';
import { PageHeader } from '@/components/ui/page-header';
import { ToolsTabs } from '@/components/tools/tools-tabs';
import { PermissionChecker } from '@/components/tools/permission-checker';

export const metadata: Metadata = { title: 'Permission checker' };

const Catalogue = graphql(`
  query CheckerCatalogue { organization { catalogue { resources actions } } }
`);

export default async function PermissionsToolPage() {
  const cat = await gqlRequest(Catalogue, {});
  return (
    <>
      <PageHeader title="Tools" description="Explore the API and answer “why” questions about keys and limits." />
      <ToolsTabs current="/tools/permissions" />
      <PermissionChecker resources={cat.ok ? cat.data.organization.catalogue.resources : []} actions={cat.ok ? cat.data.organization.catalogue.actions : []} />
    </>
  );
}
