import { Topic, KeyChangedMessage, type VerifyCode, type VerifyRequest } from '@latchkey/schema';
import type { Connection } from 'mongoose';
import type { Config } from '../infra/config';
import type { Logger } from '../infra/logger';
import type { RedisPubSub } from '../infra/pubsub';
import { hmacHex } from '../infra/crypto';
import { parseKey } from '../keys/key-format';
import { apiKeyModel, type ApiKeyDoc } from '../keys/key.model';
import { findKeyByHash } from '../keys/key-hash-index';
import { decide } from '../access/policy';
import type { RateLimiter } from '../ratelimit/ratelimit.service';
import type { LocalLimiter } from '../ratelimit/local-limiter';
import { isRedisError } from '../ratelimit/redis-errors';
import type { LimitPolicy, LimitResult } from '../ratelimit/limits';
import type { Principal } from '../access/principal';
import { AppError } from '../infra/app-error';
import { KeyCache } from './key-cache';
import type { SignalBuffer } from './verify-signals';
import { denied, summarize, type VerifyResult } from './verify-result';
import { limitReason, PADDING_DOC, reasonFor, toVerifiable, withRemainingBytes, type VerifiableKey } from './verifiable-key';

export interface VerifyDeps {
  conn: Connection;
  config: Config;
  logger: Logger;
  pubsub: RedisPubSub;
  limiter: RateLimiter;
  localLimiter: LocalLimiter;
  signals: SignalBuffer;
  /** Roles expanded plus direct scopes (RoleService.expandScopes). */
  expandScopes(orgId: string, roleIds: readonly string[], direct: readonly string[]): Promise<string[]>;
  /** The organization's metered dimensions (built-ins included). */
  dimensionNames?(orgId: string): Promise<Set<string>>;
  /** ISO country of an IP from the offline GeoIP database, when one is loaded. */
  countryOf?(ip: string): string | undefined;
  onRedisFallback?(): void;
}

// Custom (imported) keys carry no checksum: anything in their alphabet and length range
// is looked up by hash like any other key.
const CUSTOM_KEY = /^[A-Za-z0-9_.-]{32,256}$/;
// Failures that prove the value claims our format but is damaged: no lookup at all.
const DAMAGED = new Set(['checksum', 'body_length', 'alphabet']);

/**
 * The one verify pipeline (ARCHITECTURE §5) behind POST /v1/keys/verify, the
 * `verifyApiKey` mutation and API-key authentication on /graphql.
 */
export class VerifyService {
  readonly cache: KeyCache<VerifiableKey>;
  /** Checks answered by the local limiter because Redis was unreachable. */
  fallbacks = 0;
  private unsubscribe: (() => Promise<void>) | undefined;

  constructor(private readonly deps: VerifyDeps) {
    const ttl = deps.config.VERIFY_CACHE_TTL_MS;
    this.cache = new KeyCache((hash) => this.load(hash), { ttlMs: ttl, staleMs: ttl, negativeTtlMs: Math.min(ttl, 2_000), maxEntries: 200_000 });
  }

  /** Listens for key changes from every node. */
  async start(): Promise<void> {
    this.unsubscribe = await this.deps.pubsub.subscribe(Topic.keyChanged, (raw) => {
      const m = KeyChangedMessage.safeParse(raw);
      if (!m.success) return;
      if (m.data.allOfOrg) this.cache.invalidateOrg(m.data.orgId);
      if (m.data.keyId) this.cache.invalidateKey(m.data.keyId);
      if (m.data.keyHash) this.cache.invalidateHash(m.data.keyHash);
    });
  }

  async stop(): Promise<void> {
    await this.unsubscribe?.();
  }

  hashOf(key: string): string {
    return hmacHex(this.deps.config.LATCHKEY_KEY_PEPPER, key);
  }

  /** `callerOrgId`: keys of other organizations answer NOT_FOUND, exactly like unknown ones. */
  async verify(req: VerifyRequest, opts: { callerOrgId?: string; queryParam?: boolean } = {}): Promise<VerifyResult> {
    const { key } = req;
    if (typeof key !== 'string' || key.length === 0 || key.length > 256) return this.unknown('MALFORMED', req, opts.callerOrgId);
    const parsed = parseKey(key);
    if (!parsed.ok && (DAMAGED.has(parsed.reason) || !CUSTOM_KEY.test(key))) {
      return this.unknown('MALFORMED', req, opts.callerOrgId);
    }

    const hash = this.hashOf(key);
    const hit = this.cache.peek(hash);
    const k = hit === undefined ? await this.cache.get(hash) : hit;
    if (!k || (opts.callerOrgId !== undefined && k.orgId !== opts.callerOrgId)) return this.unknown('NOT_FOUND', req, opts.callerOrgId);

    const code = this.checkKey(k, req);
    if (code) {
      this.signal(code, k, req);
      return { ...denied(code, reasonFor(code, k)), keyId: k.keyId, orgId: k.orgId };
    }

    if (req.costs) {
      for (const name of Object.keys(req.costs)) {
        if (!k.knownDimensions.has(name)) {
          throw AppError.badInput(`unknown metered dimension ${name}`, [{ path: ['costs', name], message: 'is not a metered dimension of this organization' }]);
        }
      }
    }

    if (req.resource && req.action) {
      const d = decide(k.scopes, { resource: req.resource, action: req.action, resourceId: req.resourceId });
      if (!d.allowed) {
        this.signal('INSUFFICIENT_PERMISSIONS', k, req);
        return { ...denied('INSUFFICIENT_PERMISSIONS', d.reason), keyId: k.keyId, orgId: k.orgId };
      }
    }

    const limit = await this.checkLimits(k, req);
    if (!limit.allowed) {
      this.signal(limit.code as VerifyCode, k, req);
      return {
        ...denied(limit.code as VerifyCode, limitReason(limit)),
        keyId: k.keyId,
        orgId: k.orgId,
        dimension: limit.dimension,
        ratelimit: summarize(limit),
        policies: limit.policies,
        retryAfterMs: limit.retryAfterMs,
      };
    }

    if (k.subtype === 'emergency' || opts.queryParam) {
      this.deps.signals.push({ at: Date.now(), code: 'VALID', orgId: k.orgId, keyId: k.keyId, ip: req.ip, emergency: k.subtype === 'emergency', queryParam: opts.queryParam });
    } else if (req.costs) {
      this.deps.signals.push({ at: Date.now(), code: 'VALID', orgId: k.orgId, keyId: k.keyId, ip: req.ip, resource: req.resource, action: req.action, costs: req.costs });
    } else {
      this.signal('VALID', k, req);
    }
    return {
      valid: true,
      code: 'VALID',
      keyId: k.keyId,
      orgId: k.orgId,
      ownerId: k.ownerId,
      type: k.type,
      subtype: k.subtype,
      environment: k.environment,
      scopes: k.scopes,
      expiresAt: k.expiresAtIso,
      ratelimit: summarize(limit),
      leaseId: limit.leaseId,
      policies: limit.policies,
      ...(k.bandwidth ? { bandwidth: withRemainingBytes(k.bandwidth, limit) } : {}),
    };
  }

  /** Status, expiry, environment and restriction checks; null when the key may proceed. */
  private checkKey(k: VerifiableKey, req: VerifyRequest): VerifyCode | null {
    const now = Date.now();
    switch (k.status) {
      case 'active':
        break;
      case 'rotating':
        if (k.graceEndsAt !== null && k.graceEndsAt <= now) return 'REVOKED';
        break;
      case 'approved':
        return 'NOT_YET_CLAIMED';
      case 'suspended':
        return 'SUSPENDED';
      case 'revoked':
        return 'REVOKED';
      case 'expired':
        return 'EXPIRED';
      case 'pending_approval':
        return 'NOT_YET_CLAIMED';
    }
    if (k.expiresAt !== null && k.expiresAt <= now) return 'EXPIRED';
    if (req.environment !== undefined && req.environment !== k.environment) return 'WRONG_ENVIRONMENT';
    if (k.environmentBinding && req.environment === undefined) return 'WRONG_ENVIRONMENT';
    // No client IP to check counts as a mismatch: an allow-list fails closed.
    if (k.hasIpRule && (req.ip === undefined || !k.restrictions.checkIp(req.ip))) {
      if (k.modes.ip === 'enforce') return 'FORBIDDEN_IP';
      this.reportOnly('ip', k, req);
    }
    if (k.hasReferrerRule && !k.restrictions.checkReferrer(req.referrer)) {
      if (k.modes.referrer === 'enforce') return 'FORBIDDEN_REFERRER';
      this.reportOnly('referrer', k, req);
    }
    if (k.hasCountryRule) {
      const cc = req.country ?? (req.ip ? this.deps.countryOf?.(req.ip) : undefined);
      if (!k.restrictions.checkCountry(cc)) {
        if (k.modes.country === 'enforce') return 'FORBIDDEN_COUNTRY';
        this.reportOnly('country', k, req);
      }
    }
    return null;
  }

  private async checkLimits(k: VerifiableKey, req: VerifyRequest): Promise<LimitResult> {
    const bytes = (req.bytesIn ?? 0) + (req.bytesOut ?? 0);
    const check = { cost: req.cost, costs: req.costs, bytes, acquireLease: req.acquireLease };
    try {
      return await this.deps.limiter.check(k.keyId, k.limits, check);
    } catch (err) {
      if (!isRedisError(err)) throw err;
      // Documented policy (docs/RATE-LIMITING.md): keys still verify, limits fall back
      // to a conservative in-process limiter; fail_closed answers 503 instead.
      this.fallbacks++;
      this.deps.onRedisFallback?.();
      // An AppError, so every door answers 503 SERVICE_UNAVAILABLE (a raw Redis error was a 500).
      if (this.deps.config.REDIS_DOWN_POLICY === 'fail_closed') {
        throw AppError.unavailable('rate limits cannot be checked right now (REDIS_DOWN_POLICY=fail_closed); retry shortly');
      }
      return this.deps.localLimiter.check(k.keyId, k.limits, check);
    }
  }

  private signal(code: VerifyCode, k: VerifiableKey | undefined, req: VerifyRequest): void {
    this.deps.signals.push({ at: Date.now(), code, orgId: k?.orgId, keyId: k?.keyId, ip: req.ip, resource: req.resource, action: req.action });
  }

  /**
   * A key we cannot attribute. The signal names the calling service's organization (when
   * there is one) so per-IP authentication-failure alerts reach the tenant being probed.
   */
  private unknown(code: 'MALFORMED' | 'NOT_FOUND', req: VerifyRequest, callerOrgId: string | undefined): VerifyResult {
    this.deps.signals.push({ at: Date.now(), code, orgId: callerOrgId, ip: req.ip });
    return denied(code, code === 'MALFORMED' ? 'the key is not in a recognized format' : 'unknown key');
  }

  private reportOnly(kind: 'ip' | 'referrer' | 'country', k: VerifiableKey, req: VerifyRequest): void {
    this.deps.signals.push({ at: Date.now(), code: 'VALID', orgId: k.orgId, keyId: k.keyId, ip: req.ip, reportOnly: kind });
  }

  /** Live state of every limit of one key of the caller's organization. */
  async rateLimitStatus(p: Principal, keyId: string): Promise<{ keyId: string; policies: LimitPolicy[]; adaptiveFactor: number; live: boolean }> {
    const doc = await apiKeyModel(this.deps.conn).findOne({ _id: keyId, orgId: p.orgId }).lean<ApiKeyDoc>().exec();
    if (!doc) throw AppError.notFound('key');
    try {
      const [status, factor] = await Promise.all([this.deps.limiter.status(keyId, doc.limits ?? {}), this.deps.limiter.getAdaptiveFactor(keyId)]);
      return { keyId, policies: status.policies, adaptiveFactor: factor, live: true };
    } catch (err) {
      if (!isRedisError(err)) throw err;
      return { keyId, policies: [], adaptiveFactor: 1, live: false };
    }
  }

  private async load(hash: string): Promise<VerifiableKey | null> {
    const doc = await findKeyByHash(this.deps.conn, hash);
    // An unknown hash builds (and drops) an entry too: building a found key's entry is
    // Latchkey's own work on a miss, and its time must not tell a caller whether the
    // value is a real key (docs/SECURITY.md §3).
    const entry = await this.buildEntry(doc ?? PADDING_DOC);
    return doc ? entry : null;
  }

  private async buildEntry(doc: ApiKeyDoc): Promise<VerifiableKey> {
    const [scopes, dims] = await Promise.all([
      this.deps.expandScopes(doc.orgId, doc.roleIds ?? [], doc.scopes ?? []),
      this.deps.dimensionNames ? this.deps.dimensionNames(doc.orgId) : Promise.resolve(new Set<string>()),
    ]);
    // A dimension the key itself limits is always known, even if the catalogue lags.
    for (const d of doc.limits?.dimensions ?? []) dims.add(d.name);
    return toVerifiable(doc, scopes, dims);
  }
}
