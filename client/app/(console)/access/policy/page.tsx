import type { Metadata } from 'next';
import { graphql } from '@/gql';
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

export default async function PolicyPage() {
  const result = await gqlRequest(Policy, {});
  return (
    <>
      <AccessHeader current="/access/policy" />
      {!result.ok ? (
        <ErrorState error={result} title="Could not load the policy" />
      ) : (
        <>
          <p className="muted" style={{ marginBottom: '1rem' }}>
            Version {result.data.organization.policy.version}
            {result.data.organization.policy.updatedAt ? ` · last changed ${formatDate(result.data.organization.policy.updatedAt)} by ${result.data.organization.policy.updatedBy ?? 'unknown'}` : ' · defaults apply'}. Changing it needs organization:admin.
          </p>
          <PolicyEditor policy={result.data.organization.policy} />
        </>
      )}
    </>
  );
}
