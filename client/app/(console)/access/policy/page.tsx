import type { Metadata } from 'next';
import { graphql } from '@/gql';
import type { PolicyQuery } from '@/gql/graphql';
import { gqlRequest } from '@/lib/api';
import { AccessHeader } from '@/components/access/access-tabs';
import { ErrorState } from '@/components/ui/states';
import { PolicyEditor } from '@/components/access/policy-editor';
import { formatDate } from '@/components/ui/format';

export const metadata: Metadata = { title: 'Organization policy' };

const Policy = graphql(`
  query Policy {
    organization {
      policy {
        version updatedAt updatedBy recoverableKeysAllowed expiryWarningDays leakResponse
        approvalRules { approvals keyType subtype level }
        keyLifetimes { keyType maxDays expiryRequired }
        defaultRateLimit { perSecond perMinute perHour perDay }
        rotation { everyDays gracePeriodSeconds }
        alertResponses { suspendKeyOnCritical }
        adaptiveLimiting { enabled errorRateThreshold minFactor minRequests }
      }
    }
  }
`);

function PolicyView({ policy }: { policy: PolicyQuery['organization']['policy'] }) {
  return (
    <>
      <p className="muted" style={{ marginBottom: '1rem' }}>
        Version {policy.version}
        {policy.updatedAt ? ` · last changed ${formatDate(policy.updatedAt)} by ${policy.updatedBy ?? 'unknown'}` : ' · defaults apply'}. Changing it needs
        organization:admin.
      </p>
      <PolicyEditor policy={policy} />
    </>
  );
}

export default async function PolicyPage() {
  const result = await gqlRequest(Policy, {});
  return (
    <>
      <AccessHeader current="/access/policy" />
      {!result.ok ? (
        <ErrorState error={result} title="Could not load the policy" />
      ) : (
        <PolicyView policy={result.data.organization.policy} />
      )}
    </>
  );
}
