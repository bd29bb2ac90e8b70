import type { BandwidthRegistry, KeyBandwidth } from '../throttle/bandwidth';
import { effectiveLimits } from '../throttle/bandwidth';
import type { UsageReport } from '../usage-reporter';
import type { BandwidthLimits, Verification, VerifyParams } from '../verification';
import { rateLimitHeaders } from './headers';
import { PROBLEM_CONTENT_TYPE, problemOf, type Problem } from './problem';

/** What the middleware needs from a client (a `Latchkey` instance has all of it). */
export interface GuardClient {
  verify(key: string, params?: VerifyParams): Promise<Verification>;
  reportUsage(r: Omit<UsageReport, 'id'> & { id?: string }): boolean;
  readonly bandwidth: BandwidthRegistry;
}

type PerRequest<R, T> = T | ((req: R) => T | undefined);

export interface GuardOptions<R> {
  client: GuardClient;
  /** Resource and action the route needs (both or neither), fixed or per request. */
  resource?: PerRequest<R, string>;
  action?: PerRequest<R, string>;
  resourceId?: (req: R) => string | undefined;
  /** Request cost against the key's request limits (default 1). */
  cost?: (req: R) => number | undefined;
  /** Accept `?api_key=` (default true: the contract accepts it, Latchkey audits it). */
  allowQueryKey?: boolean;
  /** Report status, latency and bytes through POST /v1/usage (default true). */
  reportUsage?: boolean;
  /**
   * The key's bandwidth in bytes (download/upload per second, bytes per UTC day), fixed or
   * from the verification. Limits in the verify answer (`bandwidth`) win.
   */
  bandwidth?: BandwidthLimits | ((v: Verification) => BandwidthLimits | undefined);
  /** Told about verify calls Latchkey refused (e.g. the service's own key lacks keys:verify). */
  onError?(err: unknown): void;
}

export interface RequestFacts {
  authorization?: string | string[];
  apiKeyParam?: string | null;
  ip?: string;
  referrer?: string | string[];
}

export interface GuardDecision {
  allow: boolean;
  status: number;
  headers: Record<string, string>;
  problem?: Problem;
  verification: Verification;
  bandwidth?: KeyBandwidth;
  resource?: string;
  action?: string;
  ip?: string;
}

export const problemContentType = PROBLEM_CONTENT_TYPE;

/** The key from `Authorization: Bearer <key>`, else from `?api_key=` when allowed. */
export function readKey(f: RequestFacts, allowQuery = true): string | undefined {
  const auth = Array.isArray(f.authorization) ? f.authorization[0] : f.authorization;
  const m = typeof auth === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(auth) : null;
  if (m?.[1]) return m[1];
  if (allowQuery && typeof f.apiKeyParam === 'string' && f.apiKeyParam.length > 0) return f.apiKeyParam;
  return undefined;
}

/** Verifies the request's key for the route; the adapters only translate the decision. */
export async function guard<R>(opts: GuardOptions<R>, req: R, f: RequestFacts): Promise<GuardDecision> {
  const resource = pick(opts.resource, req);
  const action = pick(opts.action, req);
  const ip = normalizeIp(f.ip);
  const key = readKey(f, opts.allowQueryKey ?? true);
  if (!key) {
    const verification: Verification = { valid: false, code: 'UNAUTHENTICATED', reason: 'no API key: send Authorization: Bearer <key> or ?api_key=<key>' };
    const problem = problemOf(verification);
    return { allow: false, status: 401, headers: { 'WWW-Authenticate': 'Bearer realm="latchkey"' }, problem, verification, resource, action, ip };
  }
  const referrer = Array.isArray(f.referrer) ? f.referrer[0] : f.referrer;
  let verification: Verification;
  try {
    verification = await opts.client.verify(key, {
      resource: resource && action ? resource : undefined,
      action: resource && action ? action : undefined,
      resourceId: opts.resourceId?.(req),
      ip,
      referrer: referrer || undefined,
      cost: opts.cost?.(req),
    });
  } catch (e) {
    // Latchkey refused the service itself (its own key, a bad request): never the end
    // user's fault and never a reason to let traffic through, whatever the fail mode.
    // The detail stays out of the answer (it is about the service's credentials).
    opts.onError?.(e);
    verification = { valid: false, code: 'UNAVAILABLE', reason: 'key verification is unavailable: this service could not verify keys with Latchkey' };
  }
  const headers = rateLimitHeaders(verification);
  if (!verification.valid) {
    const problem = problemOf(verification);
    if (problem.status === 401) headers['WWW-Authenticate'] = `Bearer realm="latchkey", error="invalid_token"`;
    return { allow: false, status: problem.status, headers, problem, verification, resource, action, ip };
  }
  let bandwidth: KeyBandwidth | undefined;
  const configured = typeof opts.bandwidth === 'function' ? opts.bandwidth(verification) : opts.bandwidth;
  const limits = effectiveLimits(verification.bandwidth, configured);
  if (limits && verification.keyId) {
    bandwidth = opts.client.bandwidth.for(verification.keyId, limits);
    if (bandwidth.remaining() <= 0) {
      const denied: Verification = {
        ...verification,
        valid: false,
        code: 'QUOTA_EXCEEDED',
        dimension: 'bytes',
        reason: 'the daily byte quota of this API key is used up; it resets at 00:00 UTC',
      };
      return {
        allow: false,
        status: 429,
        headers: { ...headers, 'Retry-After': String(secondsToUtcMidnight()) },
        problem: problemOf(denied),
        verification: denied,
        resource,
        action,
        ip,
      };
    }
  }
  return { allow: true, status: 200, headers, verification, bandwidth, resource, action, ip };
}

/** Queues the usage report of one finished request (only for keys Latchkey knows). */
export function reportOutcome<R>(
  opts: GuardOptions<R>,
  d: GuardDecision,
  outcome: { status: number; startedAt: number; bytesIn: number; bytesOut: number; code?: string },
): void {
  const keyId = d.verification.keyId;
  if (opts.reportUsage === false || !keyId) return;
  opts.client.reportUsage({
    keyId,
    at: Date.now(),
    status: outcome.status,
    latencyMs: Math.max(0, Math.round((performance.now() - outcome.startedAt) * 100) / 100),
    bytesIn: outcome.bytesIn,
    bytesOut: outcome.bytesOut,
    leaseId: d.verification.leaseId,
    ip: d.ip,
    resource: d.resource,
    action: d.action,
    code: outcome.code ?? (d.allow ? undefined : d.verification.code),
  });
}

function pick<R>(v: PerRequest<R, string> | undefined, req: R): string | undefined {
  return typeof v === 'function' ? v(req) : v;
}

/** `::ffff:203.0.113.7` (an IPv4 client on a dual-stack socket) → `203.0.113.7`. */
export function normalizeIp(ip: string | undefined): string | undefined {
  if (!ip) return undefined;
  const m = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  return m?.[1] ?? ip;
}

function secondsToUtcMidnight(): number {
  const now = new Date();
  const midnight = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1);
  return Math.max(1, Math.ceil((midnight - now.getTime()) / 1000));
}
