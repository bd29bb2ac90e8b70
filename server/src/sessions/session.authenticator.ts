import { SESSION_TOKEN_PREFIX } from '@latchkey/schema';
import type { Principal, RequestMeta } from '../access/principal';
import type { Authenticator, Credential } from '../access/authenticator';
import { AppError } from '../infra/app-error';
import type { UserService } from '../users/user.service';
import { isSessionTokenShape, type SessionStore } from './session.store';

const INVALID = 'session expired or revoked; sign in again';

/**
 * Turns an `lks_` session token into a user principal. Nothing is cached: the
 * session, the user and the user's roles are read on every request (three indexed
 * point reads on the local store), so logout, expiry, password changes, disabling a
 * user and role edits take effect on the very next request on every node.
 */
export class SessionAuthenticator implements Authenticator {
  readonly name = 'session';

  constructor(
    private readonly store: SessionStore,
    private readonly users: UserService,
  ) {}

  async authenticate(credential: Credential, _meta: RequestMeta): Promise<Principal | null> {
    const token = credential.value;
    if (!token.startsWith(SESSION_TOKEN_PREFIX)) return null;
    // A session token in a URL ends up in logs and browser history: refuse it.
    if (credential.source === 'query') throw AppError.unauthenticated('session tokens are not accepted in the URL');
    if (!isSessionTokenShape(token)) throw AppError.unauthenticated(INVALID);
    const session = await this.store.findByToken(token);
    if (!session || session.revokedAt !== null || session.expiresAt.getTime() <= Date.now()) throw AppError.unauthenticated(INVALID);
    const user = await this.users.byId(session.orgId, session.userId);
    if (!user || user.status !== 'active' || session.createdAt.getTime() < user.passwordChangedAt.getTime()) {
      throw AppError.unauthenticated(INVALID);
    }
    return {
      kind: 'user',
      id: user._id,
      orgId: user.orgId,
      scopes: await this.users.effectiveScopes(user),
      userId: user._id,
      sessionId: session._id,
      isPlatformAdmin: user.isPlatformAdmin,
      expiresAt: session.expiresAt.getTime(),
    };
  }
}
