import { createHash } from 'node:crypto';
import type { Connection } from 'mongoose';
import type { Redis } from 'ioredis';
import type { KeyStatus } from '@latchkey/schema';
import type { AuditService } from '../audit/audit.service';
import type { AuditMeta } from '../audit/audit-input';
import type { Config } from '../infra/config';
import type { Logger } from '../infra/logger';
import type { Principal } from '../access/principal';
import type { KeyService } from '../keys/key.service';
import type { OrgPolicyService } from '../orgs/org-policy.service';
import { isAppError } from '../infra/app-error';
import { withEntityLock } from '../infra/entity-lock';
import { canTransition } from '../keys/key-lifecycle';
import { apiKeyModel, type ApiKeyDoc } from '../keys/key.model';
import { isDuplicateKey, leakIncidentModel, leakSightingModel, type LeakIncidentDoc } from './leak.model';
import type { LeakItem } from './leak-report';
import type { LeakReporter } from './leak-reporters';

export const LEAK_RESPONDER_ID = 'leaks:responder';

/** What the leak domain needs from alerts and notifications (wired in leak.domain.ts). */
export interface LeakAlert {
  orgId: string;
  keyId: string;
  ownerId: string | null;
  summary: string;
  details: Record<string, string | number | boolean>;
}

export interface LeakResponderDeps {
  conn: Connection;
  redis: Redis;
  config: Config;
  logger: Logger;
  audit: Pick<AuditService, 'append'>;
  keys: Pick<KeyService, 'suspendApiKey' | 'revokeApiKey'>;
  orgPolicy: Pick<OrgPolicyService, 'getPolicy'>;
  /** Raises the critical alert; answers the alert id (null when de-duplicated away). */
  raiseAlert(a: LeakAlert): Promise<string | null>;
  /** Tells the key's owner (or the organization's key admins) what happened. */
  notify(n: { orgId: string; keyId: string; ownerId: string | null; title: string; body: string; dedupeKey: string }): Promise<unknown>;
}

export type LeakOutcome = 'acted' | 'repeated' | 'already_inactive';

/**
 * The response to one exposed key: suspend or revoke it per organization policy
 * (`leakResponse`) through KeyService — so the audit trail, cache invalidation on every
 * node, keyEvents and the key.suspended/key.revoked webhook happen as for a manual
 * change — then one critical alert, the owner notified, and a `key.leak_reported`
 * audit event. Idempotent: a repeated sighting inserts nothing; concurrent sightings
 * of one live key create one incident (unique insert) under a per-key lock.
 */
export class LeakResponder {
  constructor(private readonly deps: LeakResponderDeps) {}

  async respond(key: Pick<ApiKeyDoc, '_id' | 'orgId'>, item: LeakItem, reporter: LeakReporter, meta: AuditMeta): Promise<LeakOutcome> {
    const sightingId = createHash('sha256').update(`${key._id}\n${item.url ?? ''}`).digest('hex');
    try {
      await leakSightingModel(this.deps.conn).create({
        _id: sightingId, orgId: key.orgId, keyId: key._id, url: item.url, source: item.source, type: item.type, reporterId: reporter.id, at: new Date(),
      });
    } catch (err) {
      if (isDuplicateKey(err)) return 'repeated';
      throw err;
    }
    // Longer than the default lease: KeyService, the audit chain and the alert all run inside.
    return withEntityLock(this.deps.redis, this.deps.config.REDIS_PREFIX, `leak_${key._id}`, () => this.act(key._id, item, reporter, meta), { ttlMs: 60_000, waitMs: 30_000 });
  }

  private async act(keyId: string, item: LeakItem, reporter: LeakReporter, meta: AuditMeta): Promise<LeakOutcome> {
    const k = await apiKeyModel(this.deps.conn).findOne({ _id: keyId }).lean<ApiKeyDoc>().exec();
    if (!k) return 'already_inactive';
    const policy = await this.deps.orgPolicy.getPolicy(k.orgId);
    const action = chooseAction(policy.leakResponse, k.status);
    if (!action) return 'already_inactive'; // an earlier report (or a person) already took it out of service
    const incident: LeakIncidentDoc = {
      _id: `${k._id}:${k.version}`, orgId: k.orgId, keyId: k._id, action, error: null, alertId: null, url: item.url, source: item.source, reporterId: reporter.id, at: new Date(),
    };
    try {
      await leakIncidentModel(this.deps.conn).create(incident);
    } catch (err) {
      if (isDuplicateKey(err)) return 'repeated';
      throw err;
    }
    const where = item.url ?? 'an unnamed location';
    const reason = `leaked: reported by ${item.source ?? reporter.id} at ${where}`.slice(0, 500);
    const principal = systemPrincipal(k.orgId);
    try {
      if (action === 'revoke') await this.deps.keys.revokeApiKey(principal, k._id, reason, meta);
      else await this.deps.keys.suspendApiKey(principal, k._id, reason, meta);
    } catch (err) {
      if (!isAppError(err)) throw err;
      incident.error = err.message; // e.g. revoked by a person a moment ago: nothing left to do
    }
    await this.deps.audit.append({
      orgId: k.orgId,
      actor: { type: 'system', id: LEAK_RESPONDER_ID },
      action: 'key.leak_reported',
      target: { type: 'key', id: k._id },
      before: { status: k.status },
      after: { response: action, error: incident.error, url: item.url, source: item.source, tokenType: item.type, reporter: reporter.id },
      meta,
    });
    const outcome = incident.error ? `not ${action}ed: ${incident.error}` : `${action === 'revoke' ? 'revoked' : 'suspended'} automatically`;
    incident.alertId = await this.deps
      .raiseAlert({
        orgId: k.orgId,
        keyId: k._id,
        ownerId: k.ownerId,
        summary: `Key ${k.name} (${k.start}…${k.last4}) was found exposed at ${where}; ${outcome}`,
        details: { url: item.url ?? '', source: item.source ?? '', response: action, reporter: reporter.id },
      })
      .catch((err: unknown) => {
        this.deps.logger.error({ err, keyId: k._id }, 'leaked key: alert not raised');
        return null;
      });
    await this.deps
      .notify({
        orgId: k.orgId,
        keyId: k._id,
        ownerId: k.ownerId,
        title: `Your API key ${k.name} was exposed`,
        body:
          `It was found at ${where} and has been ${action === 'revoke' ? 'revoked' : 'suspended'}. Issue a replacement, ` +
          'update where it is used (environment variables or a secret manager, never source control), and remove the exposed copy.',
        dedupeKey: `leak:${incident._id}`,
      })
      .catch((err: unknown) => this.deps.logger.warn({ err, keyId: k._id }, 'leaked key: owner not notified'));
    await leakIncidentModel(this.deps.conn).updateOne({ _id: incident._id }, { $set: { error: incident.error, alertId: incident.alertId } }).exec();
    this.deps.logger.warn({ keyId: k._id, orgId: k.orgId, action, error: incident.error, url: item.url }, 'leaked key reported: responded per organization policy');
    return 'acted';
  }
}

/**
 * What to do with a key in `status` under `policy`. A suspended key is revoked when the
 * policy says revoke; an unclaimed (approved) key is revoked even under `suspend`,
 * since it cannot be suspended and nobody relies on it yet.
 */
export function chooseAction(policy: 'suspend' | 'revoke', status: KeyStatus): 'suspend' | 'revoke' | null {
  if (policy === 'suspend' && canTransition(status, 'suspend')) return 'suspend';
  if (status === 'expired') return null; // it no longer verifies; revoking adds nothing
  if ((policy === 'revoke' || status === 'approved') && canTransition(status, 'revoke')) return 'revoke';
  return null;
}

/**
 * KeyService authorizes principals; the leak responder acts as the system. Principal has
 * no system kind, but actorOf() copies `kind` into the audit actor type, so the trail
 * records `{type: 'system', id: 'leaks:responder'}` (the alerts' auto-response does the same).
 */
function systemPrincipal(orgId: string): Principal {
  return { kind: 'system', id: LEAK_RESPONDER_ID, orgId, scopes: ['keys:write'], isPlatformAdmin: false } as unknown as Principal;
}
