import type { AuditActor, AuditMeta } from '../audit/audit-input';
import { AppError } from '../infra/app-error';
import { decideScope } from './policy';

/** Who is calling. Resolved once per request by the transport's authentication. */
export interface Principal {
  kind: 'user' | 'key';
  /** usr_… for a user session, key_… for an API key. */
  id: string;
  orgId: string;
  /** Effective scopes: roles expanded plus direct scopes. */
  scopes: readonly string[];
  /** The human behind the call: the user, or the key's owner. */
  userId?: string;
  sessionId?: string;
  isPlatformAdmin: boolean;
  /** When the credential stops being valid (epoch ms); graphql-ws closes the socket then. */
  expiresAt?: number;
}

/** Facts about one request every transport knows: for logs and the audit trail. */
export interface RequestMeta {
  requestId: string;
  ip: string;
  userAgent?: string;
}

/** Helpers every domain uses to act on behalf of the caller. */

/** The audit actor for a principal: the user for sessions, the key for API keys. */
export function actorOf(p: Principal): AuditActor {
  return { type: p.kind, id: p.id };
}

export const SYSTEM_ACTOR: AuditActor = { type: 'system', id: 'server:boot' };

/** Request facts for the audit trail (a GraphQL context or any other RequestMeta). */
export function metaOf(ctx: RequestMeta): AuditMeta {
  return { requestId: ctx.requestId, ip: ctx.ip, userAgent: ctx.userAgent };
}

/** The user behind the call (the session's user, or the key's owner); FORBIDDEN when none. */
export function requireUserId(p: Principal): string {
  if (p.kind === 'user') return p.id;
  if (p.userId) return p.userId;
  throw AppError.forbidden('this operation needs a signed-in user');
}

/** Throws FORBIDDEN naming the missing scope unless the principal holds `scope`. */
export function requireScope(p: Principal, scope: string): void {
  const d = decideScope(p.scopes, scope);
  if (!d.allowed) throw AppError.forbidden(`missing scope ${d.missingScope}`, { missingScope: d.missingScope });
}

export function hasScope(p: Principal, scope: string): boolean {
  return decideScope(p.scopes, scope).allowed;
}

export function requirePlatformAdmin(p: Principal): void {
  if (!p.isPlatformAdmin) throw AppError.forbidden('only platform administrators may do this');
}

/** The caller of an authenticated resolver (UNAUTHENTICATED when anonymous). */
export function principalOf(ctx: { readonly principal: Principal | null }): Principal {
  if (!ctx.principal) throw AppError.unauthenticated();
  return ctx.principal;
}
