import { IdPrefix } from '@latchkey/schema';
import type { AuditMeta } from '../audit/audit-input';
import type { Principal } from '../access/principal';
import { AppError } from '../infra/app-error';
import { newId } from '../infra/ids';
import { kekFromConfig, open } from '../infra/crypto';
import { actorOf, requireUserId } from '../access/principal';
import { scopesWithin } from '../access/policy';
import { parseInput, text } from '../access/validation';
import { buildSpec } from '../keys/key-spec';
import { sealFor } from '../keys/key-issue';
import { CLAIM_WINDOW_MS } from '../keys/key-defaults';
import { keySnapshot, keyWebhookData, type KeyEvents } from '../keys/key-events';
import { deleteUnusedKey } from '../keys/key-store';
import type { KeyCreator } from '../keys/key-create';
import type { KeyIdempotency } from '../keys/key-idempotency';
import { nowOf, type KeyDeps } from '../keys/key-deps';
import type { ApiKeyDoc } from '../keys/key.model';
import type { Approval, KeyRequestDoc } from './request.model';
import { loadRequest, lockRequest, requests, requestSnapshot, requestWebhookData, updateRequestAt } from './request-store';

const commentSchema = text(0, 1000).optional();
const reasonSchema = text(1, 1000);

export interface RequestResult {
  request: KeyRequestDoc;
  replayed: boolean;
}

/**
 * Requests and approvals (ARCHITECTURE §3): a request freezes the validated key
 * configuration; approvers (keys:approve, never the requester, each person once, each
 * holding what the key grants) add approvals; the last one needed issues the key as
 * `approved` with its one-time secret sealed for the claim (request-claim.ts).
 */
export class RequestService {
  constructor(
    private readonly deps: KeyDeps,
    private readonly events: KeyEvents,
    private readonly creator: KeyCreator,
    private readonly idempotency: KeyIdempotency,
  ) {}

  async request(principal: Principal, input: unknown, idempotencyKey: string | null | undefined, meta?: AuditMeta): Promise<RequestResult> {
    const r = await this.idempotency.run(principal, 'requestApiKey', idempotencyKey, input, async () => {
      const requesterId = requireUserId(principal);
      const now = nowOf(this.deps);
      const built = await buildSpec(this.deps, principal, input, now);
      if (built.customKey) await this.creator.assertValueFree(built.customKey);
      const id = newId(IdPrefix.request);
      let doc: KeyRequestDoc = {
        _id: id,
        orgId: principal.orgId,
        requesterId,
        requestedBy: principal.id,
        justification: built.justification,
        spec: built.spec,
        customSealed: built.customKey ? sealFor(this.deps.config, id, built.customKey) : null,
        status: 'pending_approval',
        approvalsRequired: built.approvalsRequired,
        approvals: [],
        rejection: null,
        keyId: null,
        claimExpiresAt: null,
        claimGeneration: 0,
        claimedAt: null,
        version: 0,
        createdAt: now,
        updatedAt: now,
      };
      await requests(this.deps).create(doc);
      // Nothing to wait for when the policy asks for no approval: issue it for claiming now.
      let issued: Issued | null = null;
      if (doc.approvalsRequired === 0) {
        try {
          issued = await this.issueKey(principal, doc, [], now);
        } catch (e) {
          await requests(this.deps).deleteOne({ _id: id }).exec();
          throw e;
        }
      }
      await this.events.record({
        orgId: doc.orgId,
        actor: actorOf(principal),
        meta,
        action: 'key.requested',
        target: { type: 'key_request', id },
        after: requestSnapshot(doc),
        webhook: { type: 'key.requested', data: requestWebhookData(doc) },
        status: doc.status,
      });
      if (issued) {
        await this.recordApproved(principal, doc, issued, meta);
        doc = issued.request;
      }
      return { value: doc, outcome: { resultId: id } };
    });
    if (!r.replayed) return { request: r.value, replayed: false };
    return { request: await loadRequest(this.deps, principal, r.resultId), replayed: true };
  }

  async approve(principal: Principal, id: string, comment: string | null | undefined, meta?: AuditMeta): Promise<KeyRequestDoc> {
    const approverId = requireUserId(principal);
    const note = parseInput(commentSchema, comment ?? undefined, ['comment']) ?? '';
    await loadRequest(this.deps, principal, id);
    return lockRequest(this.deps, id, async () => {
      const req = await loadRequest(this.deps, principal, id);
      if (req.status !== 'pending_approval') throw AppError.invalidState(`cannot approve a request that is ${req.status}`, { currentStatus: req.status });
      if (req.requesterId === approverId) throw AppError.forbidden('nobody approves their own request');
      if (req.approvals.some((a) => a.userId === approverId)) {
        const left = req.approvalsRequired - req.approvals.length;
        throw AppError.invalidState(`you already approved this request; it needs ${left} more approval${left === 1 ? '' : 's'} from other people`, { currentStatus: req.status });
      }
      const within = scopesWithin(principal.scopes, req.spec.grantedScopes);
      if (!within.ok) throw AppError.forbidden(`you cannot approve a key granting ${within.scope}: you do not hold it`, { missingScope: within.scope });
      const now = nowOf(this.deps);
      const approvals: Approval[] = [...req.approvals, { userId: approverId, comment: note, at: now }];
      if (approvals.length >= req.approvalsRequired) {
        const issued = await this.issueKey(principal, req, approvals, now);
        await this.recordApproved(principal, req, issued, meta);
        return issued.request;
      }
      const after = await updateRequestAt(this.deps, req, { approvals, updatedAt: now });
      await this.events.record({
        orgId: req.orgId,
        actor: actorOf(principal),
        meta,
        action: 'key.approval_added',
        target: { type: 'key_request', id },
        before: requestSnapshot(req),
        after: requestSnapshot(after),
        status: after.status,
      });
      return after;
    });
  }

  async reject(principal: Principal, id: string, reason: string | null | undefined, meta?: AuditMeta): Promise<KeyRequestDoc> {
    const userId = requireUserId(principal);
    const why = parseInput(reasonSchema, reason ?? '', ['reason']);
    await loadRequest(this.deps, principal, id);
    return lockRequest(this.deps, id, async () => {
      const req = await loadRequest(this.deps, principal, id);
      if (req.status !== 'pending_approval') throw AppError.invalidState(`cannot reject a request that is ${req.status}`, { currentStatus: req.status });
      const now = nowOf(this.deps);
      const after = await updateRequestAt(this.deps, req, { status: 'rejected', rejection: { userId, reason: why, at: now }, customSealed: null, updatedAt: now });
      await this.events.record({
        orgId: req.orgId,
        actor: actorOf(principal),
        meta,
        action: 'key.rejected',
        target: { type: 'key_request', id },
        before: requestSnapshot(req),
        after: { ...requestSnapshot(after), reason: why },
        webhook: { type: 'key.rejected', data: requestWebhookData(after, { reason: why, rejectedBy: userId }) },
        status: after.status,
      });
      return after;
    });
  }

  /**
   * Issues the key of a fully approved request: an `approved` key document (verify
   * answers NOT_YET_CLAIMED) holding its secret sealed until the requester claims it.
   * The key goes again if the request cannot be moved on, so nothing is half-written.
   */
  private async issueKey(principal: Principal, req: KeyRequestDoc, approvals: Approval[], now: Date): Promise<Issued> {
    if (req.spec.expiresAt && req.spec.expiresAt.getTime() <= now.getTime()) {
      throw AppError.invalidState(`the requested expiry (${req.spec.expiresAt.toISOString()}) has passed; reject this request and ask again`, { currentStatus: req.status });
    }
    const customKey = req.customSealed ? open([kekFromConfig(this.deps.config)], req._id, req.customSealed) : null;
    const claimExpiresAt = new Date(now.getTime() + CLAIM_WINDOW_MS);
    const { key } = await this.creator.issue({ principal, spec: req.spec, customKey, requestId: req._id, status: 'approved', now, claimExpiresAt, createdBy: req.requesterId });
    try {
      const request = await updateRequestAt(this.deps, req, {
        approvals,
        status: 'approved',
        keyId: key._id,
        claimExpiresAt,
        claimGeneration: 1,
        customSealed: null,
        updatedAt: now,
      });
      return { key, request };
    } catch (e) {
      await deleteUnusedKey(this.deps, key);
      throw e;
    }
  }

  private async recordApproved(principal: Principal, before: KeyRequestDoc, issued: Issued, meta: AuditMeta | undefined): Promise<void> {
    const actor = actorOf(principal);
    const { key, request } = issued;
    await this.events.record({
      orgId: request.orgId,
      actor,
      meta,
      action: 'key.approved',
      target: { type: 'key_request', id: request._id },
      before: requestSnapshot(before),
      after: requestSnapshot(request),
      keyId: key._id,
      webhook: {
        type: 'key.approved',
        data: requestWebhookData(request, { claimExpiresAt: request.claimExpiresAt?.toISOString() ?? null, automatic: request.approvals.length === 0 }),
      },
      status: request.status,
    });
    await this.events.record({
      orgId: key.orgId,
      actor,
      meta,
      action: 'key.created',
      target: { type: 'key', id: key._id },
      after: { ...keySnapshot(key), requestId: request._id, approvedBy: request.approvals.map((a) => a.userId) },
      keys: [key],
      webhook: { type: 'key.created', data: keyWebhookData(key, { requestId: request._id, createdBy: request.requesterId }) },
      status: key.status,
    });
  }
}

interface Issued {
  key: ApiKeyDoc;
  request: KeyRequestDoc;
}
