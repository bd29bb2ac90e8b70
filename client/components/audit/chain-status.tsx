import { graphql } from '@/gql';
import { gqlRequest } from '@/lib/api';
import { formatNumber } from '@/components/ui/format';

const Verify = graphql(`
  query VerifyAuditChain { verifyAuditChain { ok checked lastSeq lastHash firstBrokenSeq firstBrokenId reason } }
`);

/** Walks the chain on every visit: the answer must be current, never cached. */
export async function ChainStatus() {
  const r = await gqlRequest(Verify, {});
  if (!r.ok) return <p className="alert alert-warn" role="status">Chain verification unavailable: {r.message}</p>;
  const v = r.data.verifyAuditChain;
  return v.ok ? (
    <p className="alert alert-info" role="status" data-testid="chain-status" style={{ marginBottom: '1rem' }}>
      ✓ Chain intact: {formatNumber(v.checked)} events verified up to #{v.lastSeq} <span className="mono">({v.lastHash.slice(0, 12)}…)</span>
    </p>
  ) : (
    <p className="alert alert-error" role="alert" data-testid="chain-status" style={{ marginBottom: '1rem' }}>
      ✗ Chain broken at #{v.firstBrokenSeq ?? '?'} {v.firstBrokenId ? `(${v.firstBrokenId})` : ''}: {v.reason ?? 'hash mismatch'}.{' '}
      {formatNumber(v.checked)} events verified before it.
    </p>
  );
}
