import { randomBytes } from 'node:crypto';
import { IdPrefix, SESSION_TOKEN_PREFIX, Topic } from '@latchkey/schema';
import { hmacHex } from '../infra/crypto';
import { newId } from '../infra/ids';
import type { AccessDeps } from '../access/deps';
import { sessionModel, type SessionDoc } from './session.model';

/** `lks_` + 32 random bytes in base64url (43 characters). */
const TOKEN_SHAPE = new RegExp(`^${SESSION_TOKEN_PREFIX}[A-Za-z0-9_-]{43}$`);

export function isSessionTokenShape(value: string): boolean {
  return TOKEN_SHAPE.test(value);
}

export interface SessionRevokedMessage {
  orgId: string;
  userId: string;
  /** Absent when every session of the user ended. */
  sessionId?: string;
  reason: string;
  at: number;
}

/**
 * Storage of sessions: issue, look up by token, revoke. Used by the session service
 * (login/logout) and the user service (password change, disabling end access).
 */
export class SessionStore {
  constructor(private readonly deps: AccessDeps) {}

  private get model() {
    return sessionModel(this.deps.conn);
  }

  hash(token: string): string {
    return hmacHex(this.deps.config.LATCHKEY_KEY_PEPPER, token);
  }

  async issue(user: { _id: string; orgId: string }, meta: { ip?: string; userAgent?: string }): Promise<{ token: string; session: SessionDoc }> {
    const token = `${SESSION_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
    const now = new Date();
    const session: SessionDoc = {
      _id: newId(IdPrefix.session),
      orgId: user.orgId,
      userId: user._id,
      tokenHash: this.hash(token),
      createdAt: now,
      expiresAt: new Date(now.getTime() + this.deps.config.SESSION_TTL_SECONDS * 1000),
      revokedAt: null,
      revokedReason: null,
      ip: meta.ip ?? null,
      userAgent: meta.userAgent?.slice(0, 300) ?? null,
    };
    await this.model.create(session);
    return { token, session };
  }

  async findByToken(token: string): Promise<SessionDoc | null> {
    return this.model.findOne({ tokenHash: this.hash(token) }).lean<SessionDoc>().exec();
  }

  async revoke(session: Pick<SessionDoc, '_id' | 'orgId' | 'userId'>, reason: string): Promise<void> {
    await this.model.updateOne({ _id: session._id, orgId: session.orgId, revokedAt: null }, { $set: { revokedAt: new Date(), revokedReason: reason } }).exec();
    await this.announce({ orgId: session.orgId, userId: session.userId, sessionId: session._id, reason, at: Date.now() });
  }

  /** Ends every live session of a user; returns how many were live. */
  async revokeAllForUser(orgId: string, userId: string, reason: string): Promise<number> {
    const r = await this.model.updateMany({ orgId, userId, revokedAt: null }, { $set: { revokedAt: new Date(), revokedReason: reason } }).exec();
    await this.announce({ orgId, userId, reason, at: Date.now() });
    return r.modifiedCount;
  }

  /** Tells every node (e.g. open websockets) that sessions ended. Best effort. */
  private async announce(msg: SessionRevokedMessage): Promise<void> {
    await this.deps.pubsub.publish(Topic.sessionRevoked, msg).catch((err: unknown) => this.deps.logger.warn({ err }, 'could not announce session revocation'));
  }
}
