import type { Metadata } from 'next';
import Link from 'next/link';
import { graphql } from '@/gql';
import { gqlRequest } from '@/lib/api';
import { PageHeader, Panel } from '@/components/ui/page-header';
import { ErrorState } from '@/components/ui/states';
import { Badge } from '@/components/ui/badge';
import { KeyConfig } from '@/components/keys/key-config';
import { KeyHistory } from '@/components/keys/key-history';
import { KeyActions } from '@/components/keys/key-actions';
import { KeyRateLimitPanel } from '@/components/keys/key-rate-limit-panel';
import { KeyUsagePanel } from '@/components/keys/key-usage-panel';

export const metadata: Metadata = { title: 'Key' };

const KeyDetail = graphql(`
  query KeyDetail($id: ID!) {
    apiKey(id: $id) {
      id name description type subtype environment status statusReason start last4 custom recoverable alertOnUse
      ownerId applicationId requestId permissionLevel scopes effectiveScopes tags createdAt updatedAt createdBy
      expiresAt lastUsedAt revokedAt graceEndsAt claimExpiresAt rotatedFromId rotatedToId
      roles { id name }
      metadata { name value }
      rateLimit {
        perSecond perMinute perHour perDay concurrency maxPayloadBytes
        burst { maxBurst burstWindowSeconds }
        credits { amount refill { amount everySeconds } }
        bandwidth { uploadMbps downloadMbps totalGbPerDay }
        dimensions { name limit window }
      }
      restrictions { ipAllowList referrers countries environmentBinding mode { ip referrer country } }
      rotationPolicy { everyDays gracePeriodSeconds }
      rotationChain { id name status start last4 createdAt graceEndsAt }
      history(first: 25) { nodes { id action time actor { type id } } }
    }
  }
`);

export default async function KeyDetailPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const result = await gqlRequest(KeyDetail, { id });
  if (!result.ok) {
    return (
      <>
        <PageHeader title="Key" description={<Link href="/keys">← All keys</Link>} />
        <ErrorState error={result} title={result.code === 'NOT_FOUND' ? 'No such key' : 'Could not load this key'} />
      </>
    );
  }
  const key = result.data.apiKey;
  return (
    <>
      <PageHeader
        title={key.name}
        description={
          <>
            <Link href="/keys">← All keys</Link> · <span className="mono">{key.start}…{key.last4}</span> ·{' '}
            <span data-testid="key-status">
              <Badge value={key.status} />
            </span>
            {key.statusReason ? <span className="muted"> — {key.statusReason}</span> : null}
          </>
        }
        actions={
          <KeyActions
            keyId={key.id}
            status={key.status}
            name={key.name}
            description={key.description}
            tags={key.tags}
            expiresAt={key.expiresAt}
            rotationGrace={key.rotationPolicy?.gracePeriodSeconds ?? null}
            rateLimit={key.rateLimit}
          />
        }
      />
      <div className="grid-2">
        <KeyConfig apiKey={key} />
        <div className="stack">
          <KeyRateLimitPanel keyId={key.id} />
          <Panel title="Rotation chain" id="chain">
            <ol className="timeline">
              {key.rotationChain.map((k) => (
                <li key={k.id}>
                  {k.id === key.id ? <strong>{k.name} (this key)</strong> : <Link href={`/keys/${k.id}`}>{k.name}</Link>}{' '}
                  <span className="mono">{k.start}…{k.last4}</span> <Badge value={k.status} />
                </li>
              ))}
            </ol>
          </Panel>
        </div>
      </div>
      <KeyUsagePanel keyId={key.id} />
      <KeyHistory events={key.history.nodes} />
    </>
  );
}
