import { IdPrefix, type Environment } from '@latchkey/schema';
import type { AuditActor, AuditMeta } from '../audit/audit-input';
import type { Principal } from '../access/principal';
import { AppError } from '../infra/app-error';
import { newId } from '../infra/ids';
import { actorOf } from '../access/principal';
import type { KeySpec } from '../requests/request.model';
import type { ApiKeyDoc } from './key.model';
import { buildSpec } from './key-spec';
import { duplicateValueConflict, hashKey, isDuplicateKeyError, materialFor, sealFor, type KeyMaterial } from './key-issue';
import { keySnapshot, keyWebhookData, type KeyEvents } from './key-events';
import { keys, loadKey, newKeyDoc } from './key-store';
import { claimKeyHash, findKeyByHash, releaseKeyHash } from './key-hash-index';
import type { KeyIdempotency } from './key-idempotency';
import { nowOf, type KeyDeps } from './key-deps';
import { DEFAULT_KEY_PREFIX } from './key-format';

export interface IssuedKey {
  key: ApiKeyDoc;
  /** The plaintext, present only in the first answer. */
  secret: string | null;
  replayed: boolean;
}

/** Direct issue (`createApiKey`) and the document-writing half shared with approvals. */
export class KeyCreator {
  constructor(
    private readonly deps: KeyDeps,
    private readonly events: KeyEvents,
    private readonly idempotency: KeyIdempotency,
  ) {}

  /** Issues a key at once where the policy needs no approval (FORBIDDEN otherwise). */
  async create(principal: Principal, input: unknown, idempotencyKey: string | null | undefined, meta?: AuditMeta): Promise<IssuedKey> {
    const r = await this.idempotency.run(principal, 'createApiKey', idempotencyKey, input, async () => {
      const now = nowOf(this.deps);
      const built = await buildSpec(this.deps, principal, input, now);
      if (built.approvalsRequired > 0) {
        const n = built.approvalsRequired;
        const s = built.spec;
        const approvals = `${n} approval${n === 1 ? '' : 's'}`;
        const kind = `${s.type}/${s.subtype} key with permission level ${s.permissionLevel}`;
        throw AppError.forbidden(
          `the organization’s policy requires ${approvals} for a ${kind}; ask for it with requestApiKey`,
          { approvalsRequired: n },
        );
      }
      const issued = await this.issue({ principal, spec: built.spec, customKey: built.customKey, bytes: built.bytes, requestId: null, status: 'active', now });
      await this.events.record({
        orgId: principal.orgId,
        actor: actorOf(principal),
        meta,
        action: 'key.created',
        target: { type: 'key', id: issued.key._id },
        after: keySnapshot(issued.key),
        keys: [issued.key],
        webhook: { type: 'key.created', data: keyWebhookData(issued.key, { createdBy: principal.id }) },
        status: issued.key.status,
      });
      return { value: issued, outcome: { resultId: issued.key._id } };
    });
    if (!r.replayed) return { key: r.value.key, secret: r.value.material.plaintext, replayed: false };
    return { key: await loadKey(this.deps, principal, r.resultId), secret: null, replayed: true };
  }

  /**
   * Generates (or takes the imported) value and inserts the key document. `approved`
   * keys keep their one-time secret sealed for the claim; `active` keys hand it back.
   */
  async issue(o: {
    principal: Pick<Principal, 'orgId' | 'id'>;
    spec: KeySpec;
    customKey: string | null;
    bytes?: number;
    requestId: string | null;
    status: 'active' | 'approved';
    now: Date;
    claimExpiresAt?: Date;
    createdBy?: string;
    /** Links set at birth (rotation: rotatedFromId). */
    extra?: Partial<Pick<ApiKeyDoc, 'rotatedFromId'>>;
  }): Promise<{ key: ApiKeyDoc; material: KeyMaterial }> {
    const id = newId(IdPrefix.key);
    const material = materialFor(this.deps.config, {
      prefix: await this.prefixOf(o.principal.orgId),
      environment: o.spec.environment as Environment,
      bytes: o.bytes,
      customKey: o.customKey,
    });
    const expiresAt = o.spec.expiresAt ?? (o.spec.defaultLifetimeMs !== null ? new Date(o.now.getTime() + o.spec.defaultLifetimeMs) : null);
    const doc = newKeyDoc({
      id,
      orgId: o.principal.orgId,
      spec: o.spec,
      material,
      status: o.status,
      createdBy: o.createdBy ?? o.principal.id,
      requestId: o.requestId,
      expiresAt,
      now: o.now,
    });
    Object.assign(doc, o.extra ?? {});
    if (o.spec.recoverable) doc.sealed = sealFor(this.deps.config, id, material.plaintext);
    if (o.status === 'approved') {
      doc.claimSealed = sealFor(this.deps.config, id, material.plaintext);
      doc.claimExpiresAt = o.claimExpiresAt ?? null;
    }
    await this.insert(doc);
    return { key: doc, material };
  }

  /** CONFLICT when the value is already a key (only imported values can collide). */
  async assertValueFree(plaintext: string): Promise<void> {
    if (await findKeyByHash(this.deps.conn, hashKey(this.deps.config, plaintext))) throw duplicateValueConflict();
  }

  /** The hash index entry first (key-hash-index.ts), then the key. */
  private async insert(doc: ApiKeyDoc): Promise<void> {
    await claimKeyHash(this.deps.conn, { hash: doc.hash, keyId: doc._id, orgId: doc.orgId });
    try {
      await keys(this.deps).create(doc);
    } catch (e) {
      await releaseKeyHash(this.deps.conn, doc.hash, doc._id).catch(() => undefined);
      if (isDuplicateKeyError(e)) throw duplicateValueConflict();
      throw e;
    }
  }

  async prefixOf(orgId: string): Promise<string> {
    const org = await this.deps.orgs.byId(orgId);
    return org?.keyPrefix ?? DEFAULT_KEY_PREFIX;
  }
}

/** The system actor of scheduled work (rotation grace endings). */
export const ROTATION_ACTOR: AuditActor = { type: 'system', id: 'jobs:rotation' };
