import type { ApprovalRule } from '@/gql/schema-types';

export interface KeyShape {
  type: string;
  subtype: string;
  level: string;
  scopes: readonly string[];
}

const ADMIN_SUBTYPE_MIN_APPROVALS = 1;

/** The level a custom scope list amounts to, as the API judges it. */
function levelOfScopes(scopes: readonly string[]): string {
  if (scopes.length === 0) return 'custom';
  if (scopes.includes('*:*')) return 'full';
  const actions = scopes.map((s) => s.split(':')[1] ?? '');
  if (actions.every((a) => a === 'read')) return 'read_only';
  if (actions.every((a) => a === 'read' || a === 'write' || a === 'delete')) return 'read_write';
  return 'custom';
}

/**
 * Mirrors the API's approval rule (the strictest matching rule wins; admin keys need at
 * least one) so the wizard can say up front what a key will need. The API decides in
 * the end: its request answer carries the authoritative `approvalsRequired`.
 */
export function approvalsNeeded(rules: readonly Pick<ApprovalRule, 'approvals' | 'keyType' | 'subtype' | 'level'>[], key: KeyShape): { count: number; reasons: string[] } {
  const levels = new Set([key.level, levelOfScopes(key.scopes)]);
  let count = key.subtype === 'admin' ? ADMIN_SUBTYPE_MIN_APPROVALS : 0;
  const reasons = key.subtype === 'admin' ? ['admin keys always need an approval'] : [];
  for (const r of rules) {
    if (r.keyType && r.keyType !== key.type) continue;
    if (r.subtype && r.subtype !== key.subtype) continue;
    if (r.level && !levels.has(r.level)) continue;
    const what = [r.keyType && `${r.keyType} keys`, r.subtype && `subtype ${r.subtype}`, r.level && `level ${r.level}`].filter(Boolean).join(', ') || 'every key';
    reasons.push(`policy: ${what} → ${r.approvals} approval${r.approvals === 1 ? '' : 's'}`);
    count = Math.max(count, r.approvals);
  }
  return { count, reasons };
}
