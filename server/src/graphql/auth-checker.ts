import type { AuthChecker } from 'type-graphql';
import { AppError } from '../infra/app-error';
import { decideScope } from '../access/policy';
import type { GraphQLContext } from './context';

/**
 * `@Authorized('keys:read')` on a field means the caller needs that scope (any one of
 * several listed). `@Authorized()` with no scope means "any authenticated caller".
 * Denials throw typed errors instead of type-graphql's generic one.
 */
export const authChecker: AuthChecker<GraphQLContext> = ({ context }, scopes) => {
  const p = context.principal;
  if (!p) throw AppError.unauthenticated();
  if (scopes.length === 0) return true;
  const reasons: string[] = [];
  for (const s of scopes) {
    const d = decideScope(p.scopes, s);
    if (d.allowed) return true;
    reasons.push(d.missingScope);
  }
  throw AppError.forbidden(`missing scope ${reasons.join(' or ')}`, { missingScope: reasons[0] });
};
