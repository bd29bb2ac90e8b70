import type { Connection, Model } from 'mongoose';
import type { KeyStatus, WebhookEvent } from '@latchkey/schema';
import type { Config } from '../infra/config';
import type { Logger } from '../infra/logger';
import type { OrgPolicyService } from '../orgs/org-policy.service';
import { DEFAULT_ORG_POLICY } from '../orgs/org-policy';
import { orgPolicyModel } from '../orgs/org.model';
import type { RoleService } from '../roles/role.service';
import { apiKeyModel, type ApiKeyDoc } from '../keys/key.model';
import { keyWebhookData } from '../keys/key-events';
import type { KeySystemTransitions } from '../keys/key-system-transitions';
import type { NotificationService } from '../notifications/notification.service';
import { NotificationKind } from '../notifications/notification.model';
import { keyRecipients } from '../notifications/notification-recipients';
import { expiryNoticeModel, noticeId, type ExpiryNoticeDoc } from './expiry.model';

const DAY_MS = 86_400_000;
const PAGE = 500;
const WARNED_STATUSES: KeyStatus[] = ['active', 'suspended'];
const EXPIRABLE_STATUSES: KeyStatus[] = ['active', 'suspended', 'rotating'];

export interface ExpiryDeps {
  conn: Connection;
  config: Config;
  logger: Logger;
  orgPolicy: Pick<OrgPolicyService, 'getPolicy'>;
  roles: Pick<RoleService, 'expandScopes'>;
  notifications: Pick<NotificationService, 'notify'>;
  webhooks?: { emit(orgId: string, type: WebhookEvent, data: Record<string, unknown>, opts?: { eventId?: string; occurredAt?: Date }): Promise<unknown> };
  system: KeySystemTransitions;
}

export interface ExpiryScanResult {
  /** Warnings whose side effects completed in this run. */
  warned: number;
  /** Keys whose expiry was completed in this run (their history is archived next). */
  expired: { orgId: string; keyId: string }[];
}

type KeyView = Pick<ApiKeyDoc, '_id' | 'orgId' | 'name' | 'start' | 'last4' | 'ownerId' | 'expiresAt' | 'status' | 'type' | 'subtype' | 'environment' | 'applicationId'>;
const KEY_FIELDS = { _id: 1, orgId: 1, name: 1, start: 1, last4: 1, ownerId: 1, expiresAt: 1, status: 1, type: 1, subtype: 1, environment: 1, applicationId: 1 };

/**
 * Expiry of API keys (docs/JOBS.md): warnings at the organization's lead times, then
 * the `expired` transition once expiry plus EXPIRY_GRACE_SECONDS has passed. Every
 * notice is a `pending` insert under a unique index first; its side effects carry
 * deterministic ids (notification dedupe key, webhook event id), so a rerun after a
 * crash finishes a pending notice without sending anything twice.
 */
export class ExpiryService {
  private readonly notices: Model<ExpiryNoticeDoc>;
  /** The unique index decides "once": it must exist before the first notice, boot or not. */
  private indexes: Promise<unknown> | null = null;

  constructor(private readonly deps: ExpiryDeps) {
    this.notices = expiryNoticeModel(deps.conn);
  }

  async scan(now = new Date(), onExpired?: (k: { orgId: string; keyId: string }) => Promise<void>): Promise<ExpiryScanResult> {
    await (this.indexes ??= this.notices.createIndexes().catch((e: unknown) => {
      this.indexes = null;
      throw e;
    }));
    const warned = await this.warnAll(now);
    const expired = await this.expireAll(now, onExpired);
    return { warned, expired };
  }

  /** Warns about every key that crossed one of its organization's lead times. */
  private async warnAll(now: Date): Promise<number> {
    const leadsByOrg = new Map<string, number[]>();
    const leadsOf = async (orgId: string) => {
      let l = leadsByOrg.get(orgId);
      if (!l) leadsByOrg.set(orgId, (l = [...(await this.deps.orgPolicy.getPolicy(orgId)).expiryWarningDays]));
      return l;
    };
    const horizon = new Date(now.getTime() + (await this.longestLeadDays()) * DAY_MS);
    let warned = 0;
    // One status at a time: `{status, expiresAt}` is then an index range over the keys due
    // (an equality and a range), where `status: {$in}` would read every key of those statuses.
    for (const status of WARNED_STATUSES) warned += await this.warnDue(status, now, horizon, leadsOf);
    return warned;
  }

  private async warnDue(status: KeyStatus, now: Date, horizon: Date, leadsOf: (orgId: string) => Promise<number[]>): Promise<number> {
    let warned = 0;
    // Pages in (expiresAt, _id) order, so the sort and the cursor are served by the index too.
    let last: KeyView | undefined;
    for (;;) {
      const at = last?.expiresAt;
      const next = at && last ? { $or: [{ expiresAt: { $gt: at } }, { expiresAt: at, _id: { $gt: last._id } }] } : {};
      const page = await apiKeyModel(this.deps.conn)
        .find({ status, expiresAt: { $gt: now, $lte: horizon }, ...next }, KEY_FIELDS)
        .sort({ expiresAt: 1, _id: 1 })
        .limit(PAGE)
        .lean<KeyView[]>()
        .exec();
      if (page.length === 0) return warned;
      last = page.at(-1);
      const sent = new Set(
        (await this.notices.find({ keyId: { $in: page.map((k) => k._id) }, state: 'sent' }, { _id: 1 }).lean<{ _id: string }[]>().exec()).map((n) => n._id),
      );
      for (const key of page) {
        const expiresAt = key.expiresAt as Date;
        // Only the tightest lead time that applies: a key issued 5 days before its expiry
        // gets the 7-day warning, not the 30-day one as well.
        const lead = Math.min(...(await leadsOf(key.orgId)).filter((d) => expiresAt.getTime() - now.getTime() <= d * DAY_MS));
        if (!Number.isFinite(lead) || sent.has(noticeId(key._id, expiresAt, lead))) continue;
        try {
          if (await this.warn(key, lead, now)) warned++;
        } catch (err) {
          this.deps.logger.warn({ err, keyId: key._id, lead }, 'expiry warning failed; retried on the next run');
        }
      }
      if (page.length < PAGE) return warned;
    }
  }

  private async warn(key: KeyView, leadDays: number, now: Date): Promise<boolean> {
    const expiresAt = key.expiresAt as Date;
    const notice = await this.claimNotice(key, expiresAt, leadDays);
    if (notice.state === 'sent') return false;
    const daysLeft = Math.max(1, Math.ceil((expiresAt.getTime() - now.getTime()) / DAY_MS));
    const when = `${daysLeft} day${daysLeft === 1 ? '' : 's'}`;
    await this.deps.notifications.notify({
      orgId: key.orgId,
      userIds: await keyRecipients(this.deps, key),
      kind: NotificationKind.keyExpiring,
      keyId: key._id,
      title: `API key “${key.name}” expires in ${when}`,
      body:
        `${key.name} (${key.start}…${key.last4}, ${key._id}) expires at ${expiresAt.toISOString()} and stops verifying at that moment. ` +
        'Renew it (renewApiKey) or rotate it before then.',
      dedupeKey: `notice:${notice._id}`,
    });
    await this.deps.webhooks?.emit(key.orgId, 'key.expiring', keyWebhookData(key as ApiKeyDoc, { leadDays, daysLeft }), { eventId: `key.expiring:${notice._id}`, occurredAt: now });
    await this.notices.updateOne({ _id: notice._id }, { $set: { state: 'sent', sentAt: new Date() } }).exec();
    return true;
  }

  /** Expires every key past expiry + grace, then completes every pending expiry notice. */
  private async expireAll(now: Date, onExpired?: (k: { orgId: string; keyId: string }) => Promise<void>): Promise<{ orgId: string; keyId: string }[]> {
    const grace = this.deps.config.EXPIRY_GRACE_SECONDS;
    const cutoff = new Date(now.getTime() - grace * 1000);
    // Per status, as in warnAll: an index range over the keys due, not over every key.
    const due: KeyView[] = [];
    for (const status of EXPIRABLE_STATUSES) {
      due.push(...(await apiKeyModel(this.deps.conn).find({ status, expiresAt: { $lte: cutoff } }, KEY_FIELDS).limit(PAGE).lean<KeyView[]>().exec()));
    }
    for (const key of due) {
      try {
        await this.claimNotice(key, key.expiresAt as Date, 0);
        await this.deps.system.expire(key._id, now, grace);
      } catch (err) {
        this.deps.logger.warn({ err, keyId: key._id }, 'could not expire a key now; retried on the next run');
      }
    }
    const done: { orgId: string; keyId: string }[] = [];
    const pending = await this.notices.find({ leadDays: 0, state: 'pending' }).sort({ createdAt: 1 }).limit(PAGE).lean<ExpiryNoticeDoc[]>().exec();
    for (const notice of pending) {
      try {
        if (await this.finishExpiry(notice, now, onExpired)) done.push({ orgId: notice.orgId, keyId: notice.keyId });
      } catch (err) {
        this.deps.logger.warn({ err, keyId: notice.keyId }, 'expiry side effects failed; retried on the next run');
      }
    }
    return done;
  }

  private async finishExpiry(notice: ExpiryNoticeDoc, now: Date, onExpired?: (k: { orgId: string; keyId: string }) => Promise<void>): Promise<boolean> {
    const key = await apiKeyModel(this.deps.conn).findOne({ _id: notice.keyId }, KEY_FIELDS).lean<KeyView>().exec();
    if (!key || key.status !== 'expired' || key.expiresAt?.getTime() !== notice.expiresAt.getTime()) {
      // Not (or no longer) expired at this expiry: renewed, revoked or still locked. A
      // key that is still due gets the notice again from the next run's due list.
      if (!key || key.status !== 'expired') await this.notices.deleteOne({ _id: notice._id, state: 'pending' }).exec();
      return false;
    }
    await this.deps.notifications.notify({
      orgId: key.orgId,
      userIds: await keyRecipients(this.deps, key),
      kind: NotificationKind.keyExpired,
      keyId: key._id,
      title: `API key “${key.name}” expired`,
      body: `${key.name} (${key.start}…${key.last4}, ${key._id}) expired at ${notice.expiresAt.toISOString()} and no longer verifies. Renew it (renewApiKey) to use it again.`,
      dedupeKey: `notice:${notice._id}`,
    });
    await this.deps.webhooks?.emit(key.orgId, 'key.expired', keyWebhookData(key as ApiKeyDoc, { actor: 'jobs:expiry' }), { eventId: `key.expired:${notice._id}`, occurredAt: now });
    await onExpired?.({ orgId: key.orgId, keyId: key._id });
    await this.notices.updateOne({ _id: notice._id }, { $set: { state: 'sent', sentAt: new Date() } }).exec();
    return true;
  }

  /** Inserts the notice (exactly one run wins) or returns the one a previous run stored. */
  private async claimNotice(key: KeyView, expiresAt: Date, leadDays: number): Promise<ExpiryNoticeDoc> {
    const doc: ExpiryNoticeDoc = {
      _id: noticeId(key._id, expiresAt, leadDays),
      orgId: key.orgId,
      keyId: key._id,
      expiresAt,
      leadDays,
      state: 'pending',
      createdAt: new Date(),
      sentAt: null,
    };
    try {
      await this.notices.create(doc);
      return doc;
    } catch (e) {
      if ((e as { code?: number }).code !== 11000) throw e;
      const existing = await this.notices.findOne({ _id: doc._id }).lean<ExpiryNoticeDoc>().exec();
      // A pending notice left by a crashed run: its side effects are idempotent, finish them.
      return existing ?? doc;
    }
  }

  /** The longest lead time any organization uses (defaults included). */
  private async longestLeadDays(): Promise<number> {
    const stored = await orgPolicyModel(this.deps.conn).find({}, { expiryWarningDays: 1 }).lean<{ expiryWarningDays?: number[] }[]>().exec();
    return Math.max(...DEFAULT_ORG_POLICY.expiryWarningDays, ...stored.flatMap((p) => p.expiryWarningDays ?? []));
  }
}
