import { approvalNeed, type ApprovalRuleMatch } from '@latchkey/schema/approval';

export interface KeyShape {
  type: string;
  subtype: string;
  level: string;
  scopes: readonly string[];
}

function describe(r: ApprovalRuleMatch): string {
  const what = [r.keyType && `${r.keyType} keys`, r.subtype && `subtype ${r.subtype}`, r.level && `level ${r.level}`].filter(Boolean).join(', ') || 'every key';
  return `policy: ${what} → ${r.approvals} approval${r.approvals === 1 ? '' : 's'}`;
}

/**
 * The API's approval rule (one copy, in the contract) applied to the wizard's answers, with
 * the reasons in words, so the wizard can say up front what a key will need. The API decides
 * in the end: its request answer carries the authoritative `approvalsRequired`.
 */
export function approvalsNeeded(rules: readonly ApprovalRuleMatch[], key: KeyShape): { count: number; reasons: string[] } {
  // The API reads the scopes of a custom key only; a preset's scopes are the preset's own.
  const need = approvalNeed(rules, { type: key.type, subtype: key.subtype, level: key.level, scopes: key.level === 'custom' ? key.scopes : undefined });
  const reasons = need.matched.map(describe);
  return { count: need.count, reasons: need.adminFloor ? ['admin keys always need an approval', ...reasons] : reasons };
}
