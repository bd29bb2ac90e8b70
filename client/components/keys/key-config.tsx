import type { KeyDetailQuery } from '@/gql/graphql';
import { Panel } from '@/components/ui/page-header';
import { formatDate, formatDuration, formatNumber } from '@/components/ui/format';

type Key = KeyDetailQuery['apiKey'];

function Chips({ values, empty = 'Any' }: { values: readonly string[]; empty?: string }) {
  if (values.length === 0) return <span className="muted">{empty}</span>;
  return (
    <span className="chips">
      {values.map((v) => (
        <span className="chip" key={v}>
          {v}
        </span>
      ))}
    </span>
  );
}

function limits(rl: Key['rateLimit']): string {
  const parts = [
    rl.perSecond != null && `${formatNumber(rl.perSecond)}/s`,
    rl.perMinute != null && `${formatNumber(rl.perMinute)}/min`,
    rl.perHour != null && `${formatNumber(rl.perHour)}/h`,
    rl.perDay != null && `${formatNumber(rl.perDay)}/day`,
    rl.burst && `burst ${rl.burst.maxBurst} per ${rl.burst.burstWindowSeconds} s`,
    rl.concurrency != null && `${rl.concurrency} concurrent`,
    rl.credits && `${formatNumber(rl.credits.amount)} credits`,
  ].filter(Boolean);
  return parts.length ? parts.join(' · ') : 'Organization default';
}

export function KeyConfig({ apiKey: k }: { apiKey: Key }) {
  return (
    <Panel title="Configuration" id="config">
      <dl className="props">
        <dt>Id</dt>
        <dd className="mono">{k.id}</dd>
        <dt>Type</dt>
        <dd>
          {k.type} · {k.subtype.replace(/_/g, ' ')}
          {k.custom ? ' · imported value' : ''}
          {k.alertOnUse ? ' · alerts on every use' : ''}
        </dd>
        <dt>Environment</dt>
        <dd>{k.environment}</dd>
        {k.description ? (
          <>
            <dt>Description</dt>
            <dd>{k.description}</dd>
          </>
        ) : null}
        <dt>Owner</dt>
        <dd className="mono">{k.ownerId ?? 'Organization'}</dd>
        {k.applicationId ? (
          <>
            <dt>Application</dt>
            <dd className="mono">{k.applicationId}</dd>
          </>
        ) : null}
        <dt>Permission level</dt>
        <dd>{k.permissionLevel.replace(/_/g, ' ')}</dd>
        <dt>Scopes</dt>
        <dd>
          <Chips values={k.effectiveScopes} empty="None" />
        </dd>
        <dt>Roles</dt>
        <dd>{k.roles.length ? k.roles.map((r) => r.name).join(', ') : <span className="muted">None</span>}</dd>
        <dt>Rate limits</dt>
        <dd>{limits(k.rateLimit)}</dd>
        <dt>IP allow list</dt>
        <dd>
          <Chips values={k.restrictions.ipAllowList} /> {k.restrictions.ipAllowList.length ? <span className="muted">({k.restrictions.mode.ip})</span> : null}
        </dd>
        <dt>Referrers</dt>
        <dd>
          <Chips values={k.restrictions.referrers} />
        </dd>
        <dt>Countries</dt>
        <dd>
          <Chips values={k.restrictions.countries} />
        </dd>
        <dt>Rotation policy</dt>
        <dd>{k.rotationPolicy ? `every ${k.rotationPolicy.everyDays} days, ${formatDuration(k.rotationPolicy.gracePeriodSeconds)} grace` : 'Organization default'}</dd>
        <dt>Tags</dt>
        <dd>
          <Chips values={k.tags} empty="None" />
        </dd>
        <dt>Created</dt>
        <dd>{formatDate(k.createdAt)}</dd>
        <dt>Expires</dt>
        <dd>{k.expiresAt ? formatDate(k.expiresAt) : 'Never'}</dd>
        <dt>Last used</dt>
        <dd>{k.lastUsedAt ? formatDate(k.lastUsedAt) : 'Never'}</dd>
        {k.graceEndsAt ? (
          <>
            <dt>Grace ends</dt>
            <dd>{formatDate(k.graceEndsAt)}</dd>
          </>
        ) : null}
        {k.revokedAt ? (
          <>
            <dt>Revoked</dt>
            <dd>{formatDate(k.revokedAt)}</dd>
          </>
        ) : null}
      </dl>
    </Panel>
  );
}
