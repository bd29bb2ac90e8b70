import type { Connection, Model } from 'mongoose';
import type { Logger } from '../infra/logger';
import { isAppError } from '../infra/app-error';
import { ErrorCode } from '@latchkey/schema';
import type { RoleService } from '../roles/role.service';
import { apiKeyModel, type ApiKeyDoc } from '../keys/key.model';
import { CLAIM_WINDOW_MS } from '../keys/key-defaults';
import { SCHEDULED_ROTATION_ACTOR, type KeySystemTransitions } from '../keys/key-system-transitions';
import type { NotificationService } from '../notifications/notification.service';
import { NotificationKind } from '../notifications/notification.model';
import { keyRecipients } from '../notifications/notification-recipients';
import { claimMarkerIdOf, rotationMarkerModel, rotationRunModel, type RotationRunDoc } from './rotation.model';

const PAGE = 100;
/** A run still `started` after this long was left by a crashed worker. */
const ABANDONED_MS = 60_000;

export interface RotationDeps {
  conn: Connection;
  logger: Logger;
  roles: Pick<RoleService, 'expandScopes'>;
  notifications: Pick<NotificationService, 'notify'>;
  system: KeySystemTransitions;
}

/**
 * Scheduled rotation (docs/JOBS.md): keys with a rotation policy are rotated when
 * `nextRotationAt` is due, through the same rotator as `rotateApiKey`. The successor's
 * secret never travels: it is sealed on the successor for its owner to claim once
 * (`claimRotatedKey`), and the notification only says where to claim it.
 */
export class ScheduledRotations {
  private readonly runs: Model<RotationRunDoc>;

  constructor(private readonly deps: RotationDeps) {
    this.runs = rotationRunModel(deps.conn);
    rotationMarkerModel(deps.conn);
  }

  /** Rotates every key due by `now`, and finishes runs a crashed worker left behind. */
  async rotateDue(now = new Date()): Promise<{ rotated: string[]; recovered: number }> {
    const rotated: string[] = [];
    let after = '';
    for (;;) {
      const due = await apiKeyModel(this.deps.conn)
        .find({ _id: { $gt: after }, status: 'active', nextRotationAt: { $ne: null, $lte: now } }, { _id: 1, orgId: 1, nextRotationAt: 1 })
        .sort({ _id: 1 })
        .limit(PAGE)
        .lean<Pick<ApiKeyDoc, '_id' | 'orgId' | 'nextRotationAt'>[]>()
        .exec();
      for (const k of due) {
        try {
          const successorId = await this.rotateOne(k);
          if (successorId) rotated.push(successorId);
        } catch (err) {
          this.deps.logger.warn({ err, keyId: k._id }, 'scheduled rotation failed; retried on the next run');
        }
      }
      if (due.length < PAGE) break;
      after = due.at(-1)?._id ?? after;
    }
    return { rotated, recovered: await this.recoverAbandoned() };
  }

  private async rotateOne(k: Pick<ApiKeyDoc, '_id' | 'orgId' | 'nextRotationAt'>): Promise<string | null> {
    const dueAt = k.nextRotationAt as Date;
    const now = new Date();
    const run: RotationRunDoc = {
      _id: `${k._id}:${dueAt.getTime()}`,
      orgId: k.orgId,
      keyId: k._id,
      dueAt,
      state: 'started',
      successorId: null,
      reason: null,
      createdAt: now,
      updatedAt: now,
    };
    try {
      await this.runs.create(run);
    } catch (e) {
      // Another run (or an earlier attempt of this job) owns this due time.
      if ((e as { code?: number }).code === 11000) return null;
      throw e;
    }
    let rotated;
    try {
      rotated = await this.deps.system.rotate(k);
    } catch (e) {
      if (isAppError(e) && (e.code === ErrorCode.INVALID_STATE || e.code === ErrorCode.NOT_FOUND)) {
        await this.setRun(run._id, { state: 'skipped', reason: e.message });
        return null;
      }
      // Nothing was rotated (the rotator undoes a half-done rotation): let the next run try.
      await this.runs.deleteOne({ _id: run._id, state: 'started' }).exec();
      throw e;
    }
    await this.setRun(run._id, { state: 'rotated', successorId: rotated.key._id });
    await this.finish({ ...run, state: 'rotated', successorId: rotated.key._id }, rotated.secret);
    return rotated.key._id;
  }

  /**
   * Seals the successor's secret for the claim and tells the owner. With `secret`
   * null (a crash lost it) the unseen value is replaced by a fresh one — unless the
   * owner already claimed, or the claim window has passed.
   */
  private async finish(run: RotationRunDoc, secret: string | null): Promise<void> {
    const successor = await apiKeyModel(this.deps.conn).findOne({ _id: run.successorId }).lean<ApiKeyDoc>().exec();
    if (!successor) return this.setRun(run._id, { state: 'skipped', reason: 'successor not found' });
    const claimExpiresAt = new Date(successor.createdAt.getTime() + CLAIM_WINDOW_MS);
    if (secret) await this.deps.system.sealForClaim(successor._id, secret, claimExpiresAt);
    else {
      const claimed = await rotationMarkerModel(this.deps.conn).exists({ _id: claimMarkerIdOf(successor._id) }).exec();
      if (!claimed && claimExpiresAt > new Date()) await this.deps.system.reissueUnseenSecret(successor._id, claimExpiresAt);
    }
    const previous = await apiKeyModel(this.deps.conn).findOne({ _id: run.keyId }, { graceEndsAt: 1 }).lean<Pick<ApiKeyDoc, 'graceEndsAt'>>().exec();
    const until = previous?.graceEndsAt ? ` The previous key ${run.keyId} keeps working until ${previous.graceEndsAt.toISOString()}.` : '';
    await this.deps.notifications.notify({
      orgId: successor.orgId,
      userIds: await keyRecipients(this.deps, successor),
      kind: NotificationKind.keyRotated,
      keyId: successor._id,
      title: `API key “${successor.name}” was rotated on schedule`,
      body:
        `A successor ${successor._id} with the same configuration was issued. ` +
        `Claim its secret once with claimRotatedKey(keyId: "${successor._id}") before ${claimExpiresAt.toISOString()}.${until}`,
      dedupeKey: `rotation:${run._id}`,
    });
    await this.setRun(run._id, { state: 'done' });
  }

  /** Runs a crashed worker left `started` or `rotated`. */
  private async recoverAbandoned(): Promise<number> {
    const stale = await this.runs
      .find({ state: { $in: ['started', 'rotated'] }, updatedAt: { $lt: new Date(Date.now() - ABANDONED_MS) } })
      .limit(PAGE)
      .lean<RotationRunDoc[]>()
      .exec();
    let n = 0;
    for (const run of stale) {
      try {
        await this.recover(run);
        n++;
      } catch (err) {
        this.deps.logger.warn({ err, runId: run._id }, 'could not recover a scheduled rotation; retried on the next run');
      }
    }
    return n;
  }

  private async recover(run: RotationRunDoc): Promise<void> {
    if (run.state === 'rotated') return this.finish(run, null);
    const old = await apiKeyModel(this.deps.conn).findOne({ _id: run.keyId }).lean<ApiKeyDoc>().exec();
    if (old?.rotatedToId) {
      const successor = await apiKeyModel(this.deps.conn)
        .findOne({ _id: old.rotatedToId, rotatedFromId: old._id, createdBy: SCHEDULED_ROTATION_ACTOR.id }, { _id: 1, createdAt: 1 })
        .lean<{ _id: string; createdAt: Date }>()
        .exec();
      // Rotated by this run before the crash (a person's rotation is never touched: they hold its secret).
      if (successor && successor.createdAt >= run.createdAt) {
        // The crash may have come before the rotation's audit events: append what is missing.
        await this.deps.system.recordRecoveredRotation(old._id, successor._id);
        await this.setRun(run._id, { state: 'rotated', successorId: successor._id });
        return this.finish({ ...run, state: 'rotated', successorId: successor._id }, null);
      }
    }
    // The rotation never happened: forget the run so the next scan rotates the key if it is still due.
    await this.runs.deleteOne({ _id: run._id, state: 'started' }).exec();
  }

  private async setRun(id: string, set: Partial<RotationRunDoc>): Promise<void> {
    await this.runs.updateOne({ _id: id }, { $set: { ...set, updatedAt: new Date() } }).exec();
  }
}
