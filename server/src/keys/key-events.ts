import { Topic, type KeyChangedMessage, type WebhookEvent } from '@latchkey/schema';
import type { AuditActor, AuditMeta } from '../audit/audit-input';
import type { ApiKeyDoc } from './key.model';
import type { KeyDeps } from './key-deps';

/**
 * Side effects of every key and request transition, in one place so none is forgotten:
 * the audit event (same service call as the change), the cache invalidation every
 * verify node listens to, the realtime event for `keyEvents` subscribers, and the
 * webhook. Nothing here ever carries a secret, hash or ciphertext.
 */

/** What the audit trail, webhooks and subscribers see of a key. */
export function keySnapshot(k: ApiKeyDoc): Record<string, unknown> {
  return {
    name: k.name,
    description: k.description,
    type: k.type,
    subtype: k.subtype,
    environment: k.environment,
    status: k.status,
    ownerId: k.ownerId,
    applicationId: k.applicationId,
    start: k.start,
    last4: k.last4,
    custom: k.custom,
    recoverable: k.recoverable,
    permissionLevel: k.permissionLevel,
    scopes: k.scopes,
    roleIds: k.roleIds,
    restrictions: k.restrictions,
    limits: k.limits,
    rotationPolicy: k.rotationPolicy,
    tags: k.tags,
    metadata: k.metadata,
    expiresAt: k.expiresAt,
    graceEndsAt: k.graceEndsAt,
    claimExpiresAt: k.claimExpiresAt,
    rotatedFromId: k.rotatedFromId,
    rotatedToId: k.rotatedToId,
    statusReason: k.statusReason,
  };
}

/** The realtime event published on `Topic.keyEvent(orgId)` for `keyEvents` subscribers. */
export interface KeyEventMessage {
  type: string;
  orgId: string;
  keyId: string | null;
  requestId: string | null;
  status: string | null;
  actorId: string;
  at: number;
}

export interface KeyChange {
  orgId: string;
  actor: AuditActor;
  meta?: AuditMeta;
  /** Audit action, e.g. `key.revoked`. */
  action: string;
  target: { type: 'key' | 'key_request'; id: string };
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
  /** Keys whose cached verify entries must go (by id and stored hash). */
  keys?: Pick<ApiKeyDoc, '_id' | 'hash'>[];
  webhook?: { type: WebhookEvent; data: Record<string, unknown> };
  keyId?: string | null;
  requestId?: string | null;
  status?: string | null;
}

export class KeyEvents {
  constructor(private readonly deps: KeyDeps) {}

  /**
   * Caches first (revocation must reach every verify node within a second, even when
   * the audit chain is busy), then the audit event, subscribers and webhooks. Redis
   * being away must not undo a committed change, so publish failures are logged
   * (verify caches expire on their own within seconds); an audit failure is not.
   */
  async record(c: KeyChange): Promise<void> {
    const at = Date.now();
    for (const k of c.keys ?? []) {
      const msg: KeyChangedMessage = { orgId: c.orgId, keyId: k._id, keyHash: k.hash, at };
      await this.publish(Topic.keyChanged, msg);
    }
    await this.deps.audit.append({ orgId: c.orgId, actor: c.actor, action: c.action, target: c.target, before: c.before ?? null, after: c.after ?? null, meta: c.meta });
    const event: KeyEventMessage = {
      type: c.action,
      orgId: c.orgId,
      keyId: c.keyId ?? (c.target.type === 'key' ? c.target.id : null),
      requestId: c.requestId ?? (c.target.type === 'key_request' ? c.target.id : null),
      status: c.status ?? null,
      actorId: c.actor.id,
      at,
    };
    await this.publish(Topic.keyEvent(c.orgId), event);
    if (c.webhook && this.deps.webhooks) {
      await this.deps.webhooks.emit(c.orgId, c.webhook.type, c.webhook.data).catch((err: unknown) => {
        this.deps.logger.warn({ err, orgId: c.orgId, type: c.webhook?.type }, 'key webhook emit failed');
      });
    }
  }

  private async publish(topic: string, payload: unknown): Promise<void> {
    try {
      await this.deps.pubsub.publish(topic, payload);
    } catch (err) {
      this.deps.logger.warn({ err, topic }, 'key change not published (Redis unavailable); caches expire on their own');
    }
  }
}

/** Webhook body of a key event: identity and state, never material. */
export function keyWebhookData(k: ApiKeyDoc, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    keyId: k._id,
    name: k.name,
    type: k.type,
    subtype: k.subtype,
    environment: k.environment,
    status: k.status,
    ownerId: k.ownerId,
    applicationId: k.applicationId,
    start: k.start,
    expiresAt: k.expiresAt ? k.expiresAt.toISOString() : null,
    ...extra,
  };
}
