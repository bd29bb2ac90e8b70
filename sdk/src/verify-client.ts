import { createHash } from 'node:crypto';
import { LatchkeyError } from './errors';
import { postJson, type HttpOptions } from './http';
import { VerifyCache } from './verify-cache';
import type { Environment, Verification, VerifyParams } from './verification';

export type FailMode = 'closed' | 'open';

export interface VerifyCacheOptions {
  /** How long a VALID answer is reused (default 5 000 ms; 0 turns the cache off). */
  ttlMs?: number;
  /** Bounded LRU size (default 10 000 answers). */
  maxEntries?: number;
  /**
   * Also cache answers of keys that have rate limits (default false). A cached answer
   * does not reach the server, so its call is neither counted nor limited: enable only
   * where a few seconds of unmetered use is acceptable.
   */
  includeLimited?: boolean;
}

export interface VerifyClientOptions {
  http: HttpOptions;
  environment?: Environment;
  failMode?: FailMode;
  cache?: VerifyCacheOptions | false;
}

// Keys the server would call MALFORMED without looking them up (verify.service.ts).
const MAX_KEY_LENGTH = 256;

/**
 * `verify()` over POST /v1/keys/verify. Definitive answers (any code) are returned as
 * they are; only "could not ask" becomes `UNAVAILABLE`, which the fail mode turns into
 * a denial (closed, the default) or a pass marked `failedOpen` (open).
 */
export class VerifyClient {
  readonly cache: VerifyCache;
  private readonly cacheOpts: Required<VerifyCacheOptions>;

  constructor(private readonly opts: VerifyClientOptions) {
    const c = opts.cache === false ? { ttlMs: 0 } : (opts.cache ?? {});
    this.cacheOpts = { ttlMs: c.ttlMs ?? 5_000, maxEntries: c.maxEntries ?? 10_000, includeLimited: c.includeLimited ?? false };
    this.cache = new VerifyCache(this.cacheOpts.ttlMs, this.cacheOpts.maxEntries);
  }

  get failMode(): FailMode {
    return this.opts.failMode ?? 'closed';
  }

  async verify(key: string, params: VerifyParams = {}): Promise<Verification> {
    if (typeof key !== 'string' || key.length === 0 || key.length > MAX_KEY_LENGTH || /\s/.test(key)) {
      return { valid: false, code: 'MALFORMED', reason: 'the key is empty, too long or contains whitespace' };
    }
    const body = { key, ...clean(params) };
    if (body.environment === undefined && this.opts.environment) body.environment = this.opts.environment;
    const cacheKey = cacheable(body) ? cacheKeyOf(body) : undefined;
    if (cacheKey) {
      const hit = this.cache.get(cacheKey);
      if (hit) return { ...hit, cached: true };
    }
    let answer: Verification;
    try {
      const res = await postJson<Verification & { error?: { code: string; message: string } }>(this.opts.http, '/v1/keys/verify', body);
      if (res.status !== 200 || res.body.error) {
        // The service's own key or request is wrong: a configuration problem, not the end user's.
        const code = res.body.error?.code ?? 'BAD_RESPONSE';
        throw new LatchkeyError(code, `Latchkey refused the verify call (${res.status} ${code}): ${res.body.error?.message ?? ''}`, { status: res.status, details: res.body });
      }
      answer = res.body;
    } catch (e) {
      if (e instanceof LatchkeyError && e.transient) return this.unavailable(e);
      throw e;
    }
    if (cacheKey && answer.valid && answer.code === 'VALID' && (this.cacheOpts.includeLimited || !answer.ratelimit)) this.cache.set(cacheKey, answer);
    return answer;
  }

  private unavailable(e: LatchkeyError): Verification {
    const reason = `Latchkey could not be asked: ${e.message}`;
    if (this.failMode === 'open') return { valid: true, code: 'UNAVAILABLE', reason, failedOpen: true };
    return { valid: false, code: 'UNAVAILABLE', reason };
  }
}

function clean(p: VerifyParams): VerifyParams {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(p)) if (v !== undefined && v !== null && v !== '') out[k] = v;
  return out as VerifyParams;
}

/** Calls that consume something must reach the server every time. */
function cacheable(b: VerifyParams): boolean {
  return b.cost === undefined && b.costs === undefined && b.bytesIn === undefined && b.bytesOut === undefined && !b.acquireLease;
}

// Hashed so the cache never holds a plaintext key as a map key (heap dumps, debuggers).
function cacheKeyOf(b: VerifyParams & { key: string }): string {
  return createHash('sha256')
    .update(JSON.stringify([b.key, b.resource, b.action, b.resourceId, b.ip, b.referrer, b.environment, b.country]))
    .digest('base64url');
}
