import { z } from 'zod';
import type { AuditMeta } from '../audit/audit-input';
import type { Principal, RequestMeta } from '../access/principal';
import { AppError } from '../infra/app-error';
import type { AccessDeps } from '../access/deps';
import { actorOf, requireUserId } from '../access/principal';
import { parseInput } from '../access/validation';
import type { UserDoc } from '../users/user.model';
import type { UserService } from '../users/user.service';
import { verifyAgainstDummy, verifyPassword, PASSWORD_MAX_LENGTH } from '../users/password';
import { LoginLimiter } from './login-limiter';
import type { SessionStore } from './session.store';
import { clearSessionCookie, setSessionCookie, type CookieJar } from './session.cookie';

/** The one answer to every failed sign-in, whether or not the email exists. */
export const LOGIN_FAILED_MESSAGE = 'Invalid email or password.';

/** Longest a sign-in waits for the node's first-start seeding. */
const FIRST_START_WAIT_MS = 15_000;

const Credentials = z.object({
  email: z.string({ error: 'must be a string' }).trim().min(1, 'must not be empty').max(254, 'must be at most 254 characters'),
  password: z.string({ error: 'must be a string' }).min(1, 'must not be empty').max(PASSWORD_MAX_LENGTH, `must be at most ${PASSWORD_MAX_LENGTH} characters`),
});
const PasswordChange = z.object({
  currentPassword: z.string({ error: 'must be a string' }).max(PASSWORD_MAX_LENGTH, `must be at most ${PASSWORD_MAX_LENGTH} characters`),
  newPassword: z.string({ error: 'must be a string' }).max(PASSWORD_MAX_LENGTH, `must be at most ${PASSWORD_MAX_LENGTH} characters`),
});

export interface LoginResult {
  token: string;
  user: UserDoc;
  expiresAt: Date;
}

/** Sign-in, sign-out and password change for console users. */
export class SessionService {
  private readonly limiter: LoginLimiter;

  constructor(
    private readonly deps: AccessDeps,
    private readonly users: UserService,
    private readonly store: SessionStore,
    /** Settles when this node's first-start task has run. */
    private readonly firstStart: Promise<void> = Promise.resolve(),
  ) {
    this.limiter = new LoginLimiter(deps.redis, deps.config);
  }

  /**
   * Checks the password (argon2id; a dummy verification when the email is unknown so
   * both cost the same), issues a session and sets the `lk_session` cookie.
   */
  async login(email: unknown, password: unknown, meta: RequestMeta, res?: CookieJar): Promise<LoginResult> {
    const c = parseInput(Credentials, { email, password });
    const addr = c.email.toLowerCase();
    await this.firstStartDone();
    await this.limiter.check(addr, meta.ip);
    const user = await this.users.byEmail(addr);
    const ok = user ? await verifyPassword(user.passwordHash, c.password) : await verifyAgainstDummy(c.password);
    if (!user || !ok || user.status !== 'active') {
      await this.limiter.recordFailure(addr, meta.ip);
      if (user) {
        const reason = ok ? 'user disabled' : 'wrong password';
        await this.deps.audit.append({
          orgId: user.orgId,
          actor: { type: 'user', id: user._id },
          action: 'user.login_failed',
          target: { type: 'user', id: user._id },
          after: { reason },
          meta: auditMeta(meta),
        });
      } else {
        // No organization to file it under: the log keeps the attempt.
        this.deps.logger.info({ ip: meta.ip, requestId: meta.requestId }, 'sign-in failed for an unknown email');
      }
      throw AppError.unauthenticated(LOGIN_FAILED_MESSAGE);
    }
    return this.start(user, meta, res, 'user.login');
  }

  /** Ends the caller's session and clears the cookie. True when a session ended. */
  async logout(principal: Principal, meta: RequestMeta, res?: CookieJar): Promise<boolean> {
    clearSessionCookie(res, this.deps.config);
    if (principal.kind !== 'user' || !principal.sessionId) return false;
    await this.store.revoke({ _id: principal.sessionId, orgId: principal.orgId, userId: principal.id }, 'logout');
    await this.deps.audit.append({
      orgId: principal.orgId,
      actor: actorOf(principal),
      action: 'user.logout',
      target: { type: 'session', id: principal.sessionId },
      meta: auditMeta(meta),
    });
    return true;
  }

  /**
   * Changes the caller's own password. Every session of the user ends (this one too);
   * the caller gets a fresh session so the console stays signed in.
   */
  async changePassword(principal: Principal, input: unknown, meta: RequestMeta, res?: CookieJar): Promise<LoginResult> {
    if (principal.kind !== 'user') throw AppError.forbidden('only a signed-in user can change their password');
    const v = parseInput(PasswordChange, input);
    const user = await this.users.get(principal, requireUserId(principal));
    await this.limiter.check(user.email, meta.ip);
    if (!(await verifyPassword(user.passwordHash, v.currentPassword))) {
      await this.limiter.recordFailure(user.email, meta.ip);
      throw AppError.badInput('the current password is not correct', [{ path: ['currentPassword'], message: 'is not correct' }]);
    }
    if (v.currentPassword === v.newPassword) {
      throw AppError.badInput('the new password must differ from the current one', [{ path: ['newPassword'], message: 'must differ from the current password' }]);
    }
    await this.users.setPassword(user, v.newPassword, principal, auditMeta(meta));
    const fresh = await this.users.get(principal, user._id);
    return this.start(fresh, meta, res, null);
  }

  private async firstStartDone(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.firstStart, new Promise<void>((resolve) => (timer = setTimeout(resolve, FIRST_START_WAIT_MS)))]);
    clearTimeout(timer);
  }

  private async start(user: UserDoc, meta: RequestMeta, res: CookieJar | undefined, auditAction: string | null): Promise<LoginResult> {
    const { token, session } = await this.store.issue(user, meta);
    await this.users.recordLogin(user);
    if (auditAction) {
      await this.deps.audit.append({
        orgId: user.orgId,
        actor: { type: 'user', id: user._id },
        action: auditAction,
        target: { type: 'session', id: session._id },
        meta: auditMeta(meta),
      });
    }
    setSessionCookie(res, this.deps.config, token);
    return { token, user, expiresAt: session.expiresAt };
  }
}

function auditMeta(meta: RequestMeta): AuditMeta {
  return { requestId: meta.requestId, ip: meta.ip, userAgent: meta.userAgent };
}
