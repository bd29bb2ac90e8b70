import type { KeySubtype, KeyType, PermissionLevel } from './domain';
import { parseScope } from './scope-syntax';

/**
 * Which keys need approval under an organization's policy, and how many approvers.
 * One copy for the API (which decides) and the console (which previews the decision in
 * the key wizard), so the preview cannot drift from the answer.
 */

/** What the decision reads of a rule; the console's GraphQL rules (plain strings) fit it. */
export interface ApprovalRuleMatch {
  keyType: string | null;
  subtype: string | null;
  level: string | null;
  approvals: number;
}

/** A rule as the policy stores it: null matches everything on that axis. */
export interface ApprovalRule extends ApprovalRuleMatch {
  keyType: KeyType | null;
  /** A subtype implies its key type. */
  subtype: KeySubtype | null;
  level: PermissionLevel | null;
  /** Distinct approvers needed, 0–5. */
  approvals: number;
}

/** The key asked for. */
export interface ApprovalSubject {
  type: string;
  subtype: string;
  /** The level the requester chose. */
  level: string;
  /** The scopes asked for; a custom set as wide as a preset counts as that preset too. */
  scopes?: readonly string[];
}

export interface ApprovalNeed<R extends ApprovalRuleMatch = ApprovalRuleMatch> {
  /** Distinct approvers the key needs; 0 = issued at once. */
  count: number;
  /** Whether the admin-subtype floor applies (it does whatever the rules say). */
  adminFloor: boolean;
  /** Every rule the key matched, in policy order (the largest of them sets the count). */
  matched: R[];
}

/** Admin system keys can never be issued without at least this many approvals. */
export const ADMIN_SUBTYPE_MIN_APPROVALS = 1;

/**
 * The widest preset a scope set fits in, for approval rules: a custom set that covers
 * `*:*` is as dangerous as `full`, one made of reads only is `read_only`. A malformed
 * scope makes the set `custom`.
 */
export function effectiveLevel(scopes: readonly string[]): PermissionLevel {
  if (scopes.length === 0) return 'custom';
  const parsed = scopes.map(parseScope);
  const coversAll = parsed.some((p) => p !== null && p.resource === '*' && p.action === '*' && (p.resourceId === undefined || p.resourceId === '*'));
  if (coversAll) return 'full';
  if (parsed.some((p) => p === null)) return 'custom';
  const actions = new Set(parsed.map((p) => p?.action));
  if ([...actions].every((a) => a === 'read')) return 'read_only';
  if ([...actions].every((a) => a === 'read' || a === 'write' || a === 'delete')) return 'read_write';
  return 'custom';
}

/** Approvals a key needs: the largest of every matching rule, never below the admin floor. */
export function approvalNeed<R extends ApprovalRuleMatch>(rules: readonly R[], key: ApprovalSubject): ApprovalNeed<R> {
  const levels = new Set<string>([key.level]);
  if (key.scopes) levels.add(effectiveLevel(key.scopes));
  const adminFloor = key.subtype === 'admin';
  let count = adminFloor ? ADMIN_SUBTYPE_MIN_APPROVALS : 0;
  const matched: R[] = [];
  for (const r of rules) {
    if (r.keyType !== null && r.keyType !== key.type) continue;
    if (r.subtype !== null && r.subtype !== key.subtype) continue;
    if (r.level !== null && !levels.has(r.level)) continue;
    matched.push(r);
    count = Math.max(count, r.approvals);
  }
  return { count, adminFloor, matched };
}
