import type { Connection } from 'mongoose';
import type { Redis } from 'ioredis';
import type { AuditService } from '../audit/audit.service';
import type { AuditMeta } from '../audit/audit-input';
import type { Config } from '../infra/config';
import type { Logger } from '../infra/logger';
import type { Principal } from '../access/principal';
import type { KeyService } from '../keys/key.service';
import type { UserService } from '../users/user.service';
import { actorOf } from '../access/principal';
import { AppError, isAppError } from '../infra/app-error';
import { withEntityLock } from '../infra/entity-lock';
import { auditEventModel } from '../audit/audit.model';
import { eraseAuditPayloads } from '../audit/audit-erasure';
import { apiKeyModel, type ApiKeyDoc } from '../keys/key.model';
import { userModel, type UserDoc } from '../users/user.model';

export const ERASURE_ACTOR_ID = 'privacy:erasure';

export interface ErasureDeps {
  conn: Connection;
  redis: Redis;
  config: Config;
  logger: Logger;
  audit: AuditService;
  users: Pick<UserService, 'disable'>;
  keys: Pick<KeyService, 'revokeApiKey'>;
}

export interface UserErasureResult {
  userId: string;
  auditEventsErased: number;
  sessionsDeleted: number;
  notificationsDeleted: number;
  keysRevoked: number;
}

/**
 * Erasure of one user's personal data (GDPR art. 17) that keeps the audit chain
 * verifiable. In order, so a crash part-way can simply be rerun:
 * 1. the user is disabled (sessions end at once; refused for the last active owner);
 * 2. their user keys are revoked through KeyService (audited, caches invalidated);
 * 3. sessions (IP, user agent) and notifications are deleted;
 * 4. audit payloads about them are replaced by tombstones under a chained
 *    `audit.payload_erased` record (audit/audit-erasure.ts);
 * 5. the user document keeps only its id, organization and timestamps: email, name
 *    and password hash are replaced, so nobody can sign in as them again;
 * 6. `user.erased` is appended, naming counts only.
 */
export class UserErasure {
  constructor(private readonly deps: ErasureDeps) {}

  async erase(principal: Principal, userId: string, meta?: AuditMeta): Promise<UserErasureResult> {
    if (principal.kind === 'user' && principal.id === userId) throw AppError.invalidState('you cannot erase yourself; ask another administrator');
    const users = userModel(this.deps.conn);
    const user = await users.findOne({ _id: userId, orgId: principal.orgId }).lean<UserDoc>().exec();
    if (!user) throw AppError.notFound('user');
    // Step 1 outside the lock: users.disable takes the user's own lock.
    if (user.status === 'active') await this.deps.users.disable(principal, userId, meta);
    return withEntityLock(this.deps.redis, this.deps.config.REDIS_PREFIX, `erase_${userId}`, async () => {
      const keysRevoked = await this.revokeKeys(principal.orgId, userId, meta);
      // Disabling (step 1) already revoked and announced every session; the records go now.
      const db = this.deps.conn.db;
      if (!db) throw AppError.unavailable('MongoDB is not connected');
      const sessions = await db.collection('sessions').deleteMany({ orgId: principal.orgId, userId });
      const notifications = await db.collection('notifications').deleteMany({ orgId: principal.orgId, userId });
      // The email is what other events' payloads would mention (a failed sign-in, an invitation).
      const mentions = user.email.endsWith('@erased.invalid') ? [] : [user.email];
      const audit = await eraseAuditPayloads(
        auditEventModel(this.deps.conn),
        (i) => this.deps.audit.append(i),
        principal.orgId,
        { targetId: userId, mentions, subject: { type: 'user', id: userId } },
        actorOf(principal),
        meta,
      );
      const now = new Date();
      // Raw collection: `erasedAt` is not part of the user schema (read only by exports).
      await db.collection('users').updateOne(
        { _id: userId, orgId: principal.orgId } as never,
        {
          $set: {
            email: `erased-${userId}@erased.invalid`,
            name: '',
            passwordHash: '!erased',
            status: 'disabled',
            scopes: [],
            lastLoginAt: null,
            erasedAt: now,
            updatedAt: now,
          },
          $inc: { version: 1 },
        },
      );
      const result: UserErasureResult = {
        userId,
        auditEventsErased: audit.erasedEventIds.length,
        sessionsDeleted: sessions.deletedCount,
        notificationsDeleted: notifications.deletedCount,
        keysRevoked,
      };
      await this.deps.audit.append({
        orgId: principal.orgId,
        actor: actorOf(principal),
        action: 'user.erased',
        target: { type: 'user', id: userId },
        before: null,
        after: { ...result },
        meta,
      });
      this.deps.logger.info({ orgId: principal.orgId, ...result }, 'personal data of a user erased');
      return result;
    });
  }

  /** The person is gone: keys that authenticate as them stop working (audited per key). */
  private async revokeKeys(orgId: string, userId: string, meta?: AuditMeta): Promise<number> {
    const keys = await apiKeyModel(this.deps.conn)
      .find({ orgId, ownerId: userId, type: 'user', status: { $nin: ['revoked', 'expired'] } }, { _id: 1 })
      .lean<Pick<ApiKeyDoc, '_id'>[]>()
      .exec();
    const principal = { kind: 'system', id: ERASURE_ACTOR_ID, orgId, scopes: ['keys:write'], isPlatformAdmin: false } as unknown as Principal;
    let n = 0;
    for (const k of keys) {
      try {
        await this.deps.keys.revokeApiKey(principal, k._id, 'owner erased', meta);
        n += 1;
      } catch (err) {
        if (!isAppError(err)) throw err; // revoked meanwhile: nothing left to do
      }
    }
    return n;
  }
}
