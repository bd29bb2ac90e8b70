import type { AuditMeta } from '../audit/audit-input';
import type { AuditEventPage } from '../audit/audit.service';
import type { Principal } from '../access/principal';
import type { KeyRequestDoc } from '../requests/request.model';
import { RequestService, type RequestResult } from '../requests/request.service';
import { RequestClaims } from '../requests/request-claim';
import { RequestQueries, type RequestPage } from '../requests/request-queries';
import { keyRequestModel, claimMarkerModel } from '../requests/request.model';
import { apiKeyModel, type ApiKeyDoc } from './key.model';
import { idempotencyModel } from './key-idempotency.model';
import { KeyIdempotency } from './key-idempotency';
import { KeyEvents } from './key-events';
import { KeyCreator, type IssuedKey } from './key-create';
import { KeyTransitions } from './key-transitions';
import { KeyRotator, type RotatedKey } from './key-rotate';
import { KeyUpdater } from './key-update';
import { KeyQueries, type KeyPage } from './key-queries';
import type { KeyDeps } from './key-deps';

type Page = { first?: number | null; after?: string | null };

/**
 * The keys domain behind one facade (`services.keys`): issue, request/approve/claim,
 * change, rotate, retire and read API keys. Every rule lives in the part it names;
 * resolvers, routes and jobs call only these methods. See docs/KEYS.md.
 */
export class KeyService {
  private readonly creator: KeyCreator;
  private readonly transitions: KeyTransitions;
  private readonly rotator: KeyRotator;
  private readonly updater: KeyUpdater;
  private readonly queries: KeyQueries;
  private readonly requestsSvc: RequestService;
  private readonly claims: RequestClaims;
  private readonly requestQueries: RequestQueries;

  constructor(private readonly deps: KeyDeps) {
    // Registered now so boot's ensureIndexes() creates their indexes.
    for (const register of [apiKeyModel, idempotencyModel, keyRequestModel, claimMarkerModel]) register(deps.conn);
    const events = new KeyEvents(deps);
    const idempotency = new KeyIdempotency(deps.conn);
    this.creator = new KeyCreator(deps, events, idempotency);
    this.transitions = new KeyTransitions(deps, events);
    this.rotator = new KeyRotator(deps, events, this.creator, idempotency);
    this.updater = new KeyUpdater(deps, events);
    this.queries = new KeyQueries(deps);
    this.requestsSvc = new RequestService(deps, events, this.creator, idempotency);
    this.claims = new RequestClaims(deps, events, this.creator);
    this.requestQueries = new RequestQueries(deps);
    // Let access control read key scopes and count role holders among keys.
    deps.roles.registerHolderCounter((orgId, roleId) => apiKeyModel(deps.conn).countDocuments({ orgId, roleIds: roleId, status: { $nin: ['revoked', 'expired'] } }).exec());
  }

  // Issue --------------------------------------------------------------------------
  createApiKey(p: Principal, input: unknown, idempotencyKey?: string | null, meta?: AuditMeta): Promise<IssuedKey> {
    return this.creator.create(p, input, idempotencyKey, meta);
  }
  requestApiKey(p: Principal, input: unknown, idempotencyKey?: string | null, meta?: AuditMeta): Promise<RequestResult> {
    return this.requestsSvc.request(p, input, idempotencyKey, meta);
  }
  approveKeyRequest(p: Principal, id: string, comment?: string | null, meta?: AuditMeta): Promise<KeyRequestDoc> {
    return this.requestsSvc.approve(p, id, comment, meta);
  }
  rejectKeyRequest(p: Principal, id: string, reason?: string | null, meta?: AuditMeta): Promise<KeyRequestDoc> {
    return this.requestsSvc.reject(p, id, reason, meta);
  }
  claimApiKey(p: Principal, requestId: string, meta?: AuditMeta): Promise<{ key: ApiKeyDoc; secret: string }> {
    return this.claims.claim(p, requestId, meta);
  }
  reissueKeyClaim(p: Principal, requestId: string, meta?: AuditMeta): Promise<KeyRequestDoc> {
    return this.claims.reissue(p, requestId, meta);
  }

  // Change -------------------------------------------------------------------------
  updateApiKey(p: Principal, id: string, input: unknown, meta?: AuditMeta): Promise<ApiKeyDoc> {
    return this.updater.update(p, id, input, meta);
  }
  renewApiKey(p: Principal, id: string, expiresAt: unknown, meta?: AuditMeta): Promise<ApiKeyDoc> {
    return this.transitions.renew(p, id, expiresAt, meta);
  }
  rotateApiKey(p: Principal, id: string, gracePeriodSeconds?: number | null, idempotencyKey?: string | null, meta?: AuditMeta): Promise<RotatedKey> {
    return this.rotator.rotate(p, id, gracePeriodSeconds, idempotencyKey, meta);
  }
  revokeApiKey(p: Principal, id: string, reason?: string | null, meta?: AuditMeta): Promise<ApiKeyDoc> {
    return this.transitions.revoke(p, id, reason, meta);
  }
  suspendApiKey(p: Principal, id: string, reason?: string | null, meta?: AuditMeta): Promise<ApiKeyDoc> {
    return this.transitions.suspend(p, id, reason, meta);
  }
  reactivateApiKey(p: Principal, id: string, meta?: AuditMeta): Promise<ApiKeyDoc> {
    return this.transitions.reactivate(p, id, meta);
  }
  revealApiKey(p: Principal, id: string, meta?: AuditMeta): Promise<{ key: ApiKeyDoc; secret: string }> {
    return this.transitions.reveal(p, id, meta);
  }
  /** For the rotation job: revokes rotating keys whose grace period ended; returns their ids. */
  finishDueRotations(now: Date = new Date(), limit?: number): Promise<string[]> {
    return this.transitions.finishDueRotations(now, limit);
  }

  // Read ---------------------------------------------------------------------------
  listApiKeys(p: Principal, filter?: unknown, sort?: unknown, page?: Page): Promise<KeyPage> {
    return this.queries.list(p, filter, sort, page);
  }
  getApiKey(p: Principal, id: string): Promise<ApiKeyDoc> {
    return this.queries.get(p, id);
  }
  keyHistory(orgId: string, keyId: string, page?: Page): Promise<AuditEventPage> {
    return this.queries.history(orgId, keyId, page);
  }
  rotationChain(orgId: string, keyId: string): Promise<ApiKeyDoc[]> {
    return this.queries.rotationChain(orgId, keyId);
  }
  listKeyRequests(p: Principal, filter?: unknown, page?: Page): Promise<RequestPage> {
    return this.requestQueries.list(p, filter, page);
  }
  getKeyRequest(p: Principal, id: string): Promise<KeyRequestDoc> {
    return this.requestQueries.get(p, id);
  }
  /** Effective scopes of a key of the organization (access control's checkPermission), or null. */
  async scopesOf(orgId: string, keyId: string): Promise<string[] | null> {
    const k = await apiKeyModel(this.deps.conn).findOne({ _id: keyId, orgId }).lean<ApiKeyDoc>().exec();
    return k ? this.deps.roles.expandScopes(orgId, k.roleIds, k.scopes) : null;
  }
}
