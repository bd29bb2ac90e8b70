import { VERIFY_CODE_HTTP_STATUS, type Verification, type VerifyCode } from '../verification';

/** RFC 9457 problem details, plus the verification `code` every answer names. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  dimension?: string;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';
const TYPE_BASE = 'https://latchkey.dev/problems/';

const TITLES: Record<string, string> = {
  UNAUTHENTICATED: 'API key required',
  MALFORMED: 'Malformed API key',
  NOT_FOUND: 'Unknown API key',
  REVOKED: 'API key revoked',
  EXPIRED: 'API key expired',
  SUSPENDED: 'API key suspended',
  NOT_YET_CLAIMED: 'API key not yet claimed',
  FORBIDDEN_IP: 'Client IP not allowed for this key',
  FORBIDDEN_REFERRER: 'Referrer not allowed for this key',
  FORBIDDEN_COUNTRY: 'Country not allowed for this key',
  WRONG_ENVIRONMENT: 'Key belongs to another environment',
  INSUFFICIENT_PERMISSIONS: 'Key lacks the permission',
  RATE_LIMITED: 'Rate limit exceeded',
  QUOTA_EXCEEDED: 'Quota exceeded',
  CONCURRENCY_LIMITED: 'Too many concurrent requests',
  PAYLOAD_TOO_LARGE: 'Payload too large',
  UNAVAILABLE: 'Key verification unavailable',
};

/** HTTP status for a verification that does not let the request through. */
export function statusFor(v: Pick<Verification, 'code'>): number {
  if (v.code === 'UNAVAILABLE') return 503;
  if (v.code === 'UNAUTHENTICATED') return 401;
  return VERIFY_CODE_HTTP_STATUS[v.code as VerifyCode] ?? 401;
}

export function problemFor(code: string, status: number, detail: string, extra: { dimension?: string } = {}): Problem {
  const p: Problem = { type: `${TYPE_BASE}${code.toLowerCase().replace(/_/g, '-')}`, title: TITLES[code] ?? code, status, detail, code };
  if (extra.dimension) p.dimension = extra.dimension;
  return p;
}

export function problemOf(v: Verification): Problem {
  return problemFor(v.code, statusFor(v), v.reason ?? TITLES[v.code] ?? v.code, { dimension: v.dimension });
}
