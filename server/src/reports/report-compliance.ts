import type { Connection } from 'mongoose';
import { decide } from '../access/policy';
import { apiKeyModel, type ApiKeyDoc } from '../keys/key.model';
import { keyRequestModel, type KeyRequestDoc } from '../requests/request.model';
import { scopeUseModel, type ScopeUseDoc } from '../usage/usage.model';
import type { Column } from './report-csv';

const DAY = 86_400_000;
export const MAX_REPORT_KEYS = 10_000;

export const COMPLIANCE_COLUMNS: Column[] = [
  { key: 'keyId', header: 'Key ID' },
  { key: 'name', header: 'Name' },
  { key: 'type', header: 'Type' },
  { key: 'subtype', header: 'Subtype' },
  { key: 'environment', header: 'Environment' },
  { key: 'status', header: 'Status' },
  { key: 'ownerId', header: 'Owner' },
  { key: 'createdAt', header: 'Created' },
  { key: 'ageDays', header: 'Age (days)' },
  { key: 'lastRotatedAt', header: 'Last rotation' },
  { key: 'expiresAt', header: 'Expires' },
  { key: 'noExpiry', header: 'No expiry' },
  { key: 'lastUsedAt', header: 'Last used' },
  { key: 'unusedForDays', header: 'Unused for (days)' },
  { key: 'unused', header: 'Unused past threshold' },
  { key: 'approvalsRequired', header: 'Approvals required' },
  { key: 'approvals', header: 'Approvals (approver @ time)' },
  { key: 'scopes', header: 'Effective scopes' },
  { key: 'unusedScopes', header: 'Scopes never used' },
  { key: 'suggestion', header: 'Least-privilege suggestion' },
];

/**
 * Key inventory for audits: age, last rotation, expiry, approval evidence, keys
 * without expiry, keys unused for `unusedDays`, and scopes granted but never exercised
 * (from the verify signals' resource:action, `key_scope_usage`) as least-privilege
 * suggestions. Revoked and expired keys are listed too (inventory = everything issued).
 */
export async function complianceRows(
  conn: Connection,
  orgId: string,
  opts: { now: Date; unusedDays: number; expandScopes(orgId: string, roleIds: readonly string[], direct: readonly string[]): Promise<string[]> },
): Promise<Record<string, unknown>[]> {
  const keys = await apiKeyModel(conn).find({ orgId }).sort({ _id: 1 }).limit(MAX_REPORT_KEYS).lean<ApiKeyDoc[]>().exec();
  const requestIds = keys.flatMap((k) => (k.requestId ? [k.requestId] : []));
  const requests = requestIds.length ? await keyRequestModel(conn).find({ orgId, _id: { $in: requestIds } }).lean<KeyRequestDoc[]>().exec() : [];
  const byRequest = new Map(requests.map((r) => [r._id, r]));
  const uses = await scopeUseModel(conn).find({ orgId }).lean<ScopeUseDoc[]>().exec();
  const usedByKey = new Map<string, string[]>();
  for (const u of uses) usedByKey.set(u.keyId, [...(usedByKey.get(u.keyId) ?? []), u.scope]);
  const now = opts.now.getTime();

  const rows: Record<string, unknown>[] = [];
  for (const k of keys) {
    const scopes = await opts.expandScopes(orgId, k.roleIds ?? [], k.scopes ?? []);
    const used = usedByKey.get(k._id) ?? [];
    // A granted scope is "used" when at least one request it would have allowed happened.
    const unusedScopes = scopes.filter((s) => !used.some((u) => covers(s, u)));
    const req = k.requestId ? byRequest.get(k.requestId) : undefined;
    const lastUse = k.lastUsedAt ? k.lastUsedAt.getTime() : null;
    const unusedForDays = Math.floor((now - (lastUse ?? k.createdAt.getTime())) / DAY);
    const live = k.status === 'active' || k.status === 'rotating' || k.status === 'suspended';
    rows.push({
      keyId: k._id,
      name: k.name,
      type: k.type,
      subtype: k.subtype,
      environment: k.environment,
      status: k.status,
      ownerId: k.ownerId,
      createdAt: k.createdAt,
      ageDays: Math.floor((now - k.createdAt.getTime()) / DAY),
      // A key issued by rotation was rotated in when it was created.
      lastRotatedAt: k.rotatedFromId ? k.createdAt : null,
      expiresAt: k.expiresAt,
      noExpiry: k.expiresAt === null,
      lastUsedAt: k.lastUsedAt,
      unusedForDays,
      unused: live && unusedForDays >= opts.unusedDays,
      approvalsRequired: req?.approvalsRequired ?? 0,
      approvals: (req?.approvals ?? []).map((a) => `${a.userId} @ ${a.at.toISOString()}`),
      scopes,
      unusedScopes,
      suggestion: suggestion(live, used.length, unusedScopes, scopes),
    });
  }
  return rows;
}

function covers(granted: string, used: string): boolean {
  const i = used.indexOf(':');
  if (i < 0) return false;
  return decide([granted], { resource: used.slice(0, i), action: used.slice(i + 1) }).allowed;
}

function suggestion(live: boolean, usedCount: number, unused: string[], scopes: string[]): string {
  if (!live || scopes.length === 0) return '';
  if (usedCount === 0) return 'no permission-checked use recorded: confirm the key is needed or revoke it';
  if (unused.length === 0) return '';
  return `remove ${unused.join(', ')}`;
}
