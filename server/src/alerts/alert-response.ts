import type { Connection } from 'mongoose';
import { Topic } from '@latchkey/schema';
import type { Logger } from '../infra/logger';
import type { RedisPubSub } from '../infra/pubsub';
import { isAppError } from '../infra/app-error';
import type { Principal } from '../access/principal';
import type { AuditService } from '../audit/audit.service';
import type { KeyService } from '../keys/key.service';
import type { OrgPolicyService } from '../orgs/org-policy.service';
import type { NotificationService } from '../notifications/notification.service';
import { NotificationKind } from '../notifications/notification.model';
import { alertActionModel, alertModel, isDuplicateKey, type AlertDoc, type AlertResponse } from './alert.model';
import { alertMessage } from './alert-views';

const RESPONDER_ID = 'alerts:auto-response';

/**
 * The key service authorizes principals; an automatic response acts as the system.
 * Principal.kind has no 'system' member, but actorOf() copies kind into the audit
 * actor type, so the trail records `{type: 'system', id: 'alerts:auto-response'}`
 * instead of pretending a user did it. Its only scope is the one suspending needs.
 */
function systemPrincipal(orgId: string): Principal {
  return { kind: 'system', id: RESPONDER_ID, orgId, scopes: ['keys:write'], isPlatformAdmin: false } as unknown as Principal;
}

/**
 * Organization policy `alertResponses.suspendKeyOnCritical`: a critical alert about a
 * key suspends it through KeyService (audit, cache invalidation on every node,
 * keyEvents, `key.suspended` webhook to the owner's integrations), reason
 * "auto: <alert id>". Exactly once per alert (unique insert), and reversible with
 * `reactivateApiKey` like any suspension.
 */
export class AutoResponder {
  constructor(
    private readonly deps: {
      conn: Connection;
      logger: Logger;
      audit: AuditService;
      pubsub: RedisPubSub;
      keys: Pick<KeyService, 'suspendApiKey'>;
      orgPolicy: Pick<OrgPolicyService, 'getPolicy'>;
      notifications?: Pick<NotificationService, 'notify'>;
    },
  ) {}

  async onCritical(alert: AlertDoc): Promise<AlertResponse | null> {
    if (!alert.keyId) return null;
    const policy = await this.deps.orgPolicy.getPolicy(alert.orgId);
    if (!policy.alertResponses?.suspendKeyOnCritical) return null;
    try {
      await alertActionModel(this.deps.conn).create({ _id: `${alert._id}:suspend`, orgId: alert.orgId, alertId: alert._id, at: new Date() });
    } catch (err) {
      if (isDuplicateKey(err)) return null; // another node (or an earlier escalation) already acted
      throw err;
    }
    let error: string | null = null;
    try {
      await this.deps.keys.suspendApiKey(systemPrincipal(alert.orgId), alert.keyId, `auto: ${alert._id}`, { requestId: `alert:${alert._id}` });
    } catch (err) {
      if (!isAppError(err)) throw err;
      error = err.message; // e.g. already revoked or suspended: nothing to undo later
    }
    const response: AlertResponse = { action: 'key_suspended', at: new Date(), keyId: alert.keyId, error };
    const after = await alertModel(this.deps.conn)
      .findOneAndUpdate({ _id: alert._id, orgId: alert.orgId }, { $set: { response } }, { returnDocument: 'after' })
      .lean<AlertDoc>()
      .exec();
    await this.deps.audit.append({
      orgId: alert.orgId,
      actor: { type: 'system', id: RESPONDER_ID },
      action: 'alert.auto_response',
      target: { type: 'alert', id: alert._id },
      before: null,
      // The owner is named so the trail shows who was notified (the key.suspended webhook and keyEvents carry it live).
      after: { action: response.action, keyId: alert.keyId, ownerId: alert.ownerId, error },
    });
    if (after) {
      const msg = { ...alertMessage(after, true), summary: `${after.summary} — key ${alert.keyId} ${error ? `not suspended: ${error}` : 'suspended automatically'}` };
      await this.deps.pubsub.publish(Topic.alertRaised(alert.orgId), msg).catch(() => undefined);
    }
    if (!error && alert.ownerId && this.deps.notifications) {
      await this.deps.notifications
        .notify({
          orgId: alert.orgId, userIds: [alert.ownerId], kind: NotificationKind.keySuspended, keyId: alert.keyId, dedupeKey: `alert:${alert._id}`,
          title: 'Your API key was suspended', body: `${alert.title}: ${alert.summary}. Reactivate it once the cause is understood (alert ${alert._id}).`,
        })
        .catch((err: unknown) => this.deps.logger.warn({ err, alertId: alert._id }, 'owner not notified of automatic suspension'));
    }
    this.deps.logger.warn({ alertId: alert._id, keyId: alert.keyId, ownerId: alert.ownerId, error }, 'critical alert: key suspended by organization policy');
    return response;
  }
}
