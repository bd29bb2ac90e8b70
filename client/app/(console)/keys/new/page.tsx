import type { Metadata } from 'next';
import Link from 'next/link';
import { graphql } from '@/gql';
import { gqlRequest } from '@/lib/api';
import { holds } from '@/lib/scopes';
import { PageHeader } from '@/components/ui/page-header';
import { ErrorState } from '@/components/ui/states';
import { KeyWizard } from '@/components/keys/wizard/key-wizard';

export const metadata: Metadata = { title: 'New key' };

const WizardMe = graphql(`
  query WizardMe {
    me { id scopes }
    applications(first: 100) { nodes { id name environments } }
  }
`);

/** Roles need roles:read, which developers lack: without it the wizard offers scopes only. */
const WizardRoles = graphql(`
  query WizardRoles { roles(first: 100) { nodes { id name scopes } } }
`);

/** Separate: without organization:read the wizard still works, it just cannot preview approvals. */
const WizardPolicy = graphql(`
  query WizardPolicy {
    organization {
      keyPrefix
      catalogue { resources actions }
      policy {
        approvalRules { approvals keyType subtype level }
        keyLifetimes { keyType maxDays expiryRequired }
        rotation { everyDays gracePeriodSeconds }
        defaultRateLimit { perSecond perMinute perHour perDay }
      }
    }
  }
`);

export default async function NewKeyPage() {
  const [me, org, roles] = await Promise.all([gqlRequest(WizardMe, {}), gqlRequest(WizardPolicy, {}), gqlRequest(WizardRoles, {})]);
  return (
    <>
      <PageHeader title="New key" description={<Link href="/keys">← All keys</Link>} />
      {!me.ok ? (
        <ErrorState error={me} />
      ) : (
        <KeyWizard
          myScopes={me.data.me.scopes}
          canWrite={holds(me.data.me.scopes, 'keys:write')}
          applications={me.data.applications.nodes}
          roles={roles.ok ? roles.data.roles.nodes : []}
          policy={org.ok ? org.data.organization.policy : null}
          catalogue={org.ok ? org.data.organization.catalogue : null}
        />
      )}
    </>
  );
}
