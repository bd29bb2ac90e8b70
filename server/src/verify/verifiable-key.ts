import type { BandwidthAnswer, Environment, KeyStatus, KeySubtype, KeyType, VerifyCode } from '@latchkey/schema';
import type { ApiKeyDoc, RestrictionModeName } from '../keys/key.model';
import { ABSENT_KEY_ID } from '../keys/key-hash-index';
import type { LimitResult } from '../ratelimit/limits';
import type { KeyLimits } from '../keys/key-limits';
import { compileRestrictions, type CompiledRestrictions } from './restrictions';

/** A key as the hot path needs it: compiled once per cache load. */
export interface VerifiableKey {
  keyId: string;
  orgId: string;
  ownerId: string | null;
  applicationId: string | null;
  type: KeyType;
  subtype: KeySubtype;
  environment: Environment;
  status: KeyStatus;
  expiresAt: number | null;
  graceEndsAt: number | null;
  /** Roles expanded plus direct scopes. */
  scopes: readonly string[];
  restrictions: CompiledRestrictions;
  modes: { ip: RestrictionModeName; referrer: RestrictionModeName; country: RestrictionModeName };
  environmentBinding: boolean;
  hasIpRule: boolean;
  hasReferrerRule: boolean;
  hasCountryRule: boolean;
  limits: KeyLimits;
  /** Metered dimensions the organization knows (a cost naming another is refused). */
  knownDimensions: ReadonlySet<string>;
  /** Byte rates from `limits.bandwidth` (Mbps → bytes/s), computed once per cache load. */
  bandwidth: BandwidthAnswer | null;
  expiresAtIso: string | null;
}

// A key document as the verify pipeline holds it in its cache, and the words of its
// answers: pure functions of a document or a limit result, apart from the pipeline's I/O.

/** What an unknown hash's miss builds an entry from (never stored, never answered). */
export const PADDING_DOC: ApiKeyDoc = {
  _id: ABSENT_KEY_ID,
  orgId: 'org_-',
  name: '',
  description: '',
  type: 'application',
  subtype: 'service',
  environment: 'production',
  status: 'revoked',
  applicationId: null,
  ownerId: null,
  createdBy: '',
  requestId: null,
  hash: '',
  pepperVersion: 1,
  start: '',
  last4: '',
  custom: false,
  recoverable: false,
  sealed: null,
  claimSealed: null,
  claimExpiresAt: null,
  permissionLevel: 'custom',
  scopes: ['applications:read'],
  roleIds: [],
  restrictions: { ipAllowList: [], referrers: [], countries: [], environmentBinding: false, mode: { ip: 'enforce', referrer: 'enforce', country: 'enforce' } },
  limits: {},
  rotationPolicy: null,
  nextRotationAt: null,
  tags: [],
  metadata: [],
  expiresAt: null,
  graceEndsAt: null,
  rotatedFromId: null,
  rotatedToId: null,
  statusReason: null,
  revokedAt: null,
  lastUsedAt: null,
  version: 0,
  createdAt: new Date(0),
  updatedAt: new Date(0),
};

export function toVerifiable(doc: ApiKeyDoc, scopes: string[], knownDimensions: ReadonlySet<string> = new Set()): VerifiableKey {
  const r = doc.restrictions;
  return {
    keyId: doc._id,
    orgId: doc.orgId,
    ownerId: doc.ownerId,
    applicationId: doc.applicationId,
    type: doc.type,
    subtype: doc.subtype,
    environment: doc.environment,
    status: doc.status,
    expiresAt: doc.expiresAt ? doc.expiresAt.getTime() : null,
    expiresAtIso: doc.expiresAt ? doc.expiresAt.toISOString() : null,
    graceEndsAt: doc.graceEndsAt ? doc.graceEndsAt.getTime() : null,
    scopes,
    restrictions: compileRestrictions(r),
    modes: r.mode,
    environmentBinding: r.environmentBinding,
    hasIpRule: r.ipAllowList.length > 0,
    hasReferrerRule: r.referrers.length > 0,
    hasCountryRule: r.countries.length > 0,
    limits: doc.limits ?? {},
    bandwidth: bandwidthOf(doc.limits ?? {}),
    knownDimensions,
  };
}

const MBPS = 1_000_000 / 8;

function bandwidthOf(l: ApiKeyDoc['limits']): BandwidthAnswer | null {
  const b = l.bandwidth;
  if (!b || (b.uploadMbps === undefined && b.downloadMbps === undefined && b.totalGbPerDay === undefined)) return null;
  return {
    ...(b.downloadMbps !== undefined ? { downloadBytesPerSecond: Math.round(b.downloadMbps * MBPS) } : {}),
    ...(b.uploadMbps !== undefined ? { uploadBytesPerSecond: Math.round(b.uploadMbps * MBPS) } : {}),
    ...(b.totalGbPerDay !== undefined ? { bytesPerDay: Math.round(b.totalGbPerDay * 1e9) } : {}),
  };
}

export function withRemainingBytes(b: BandwidthAnswer, l: LimitResult): BandwidthAnswer {
  const bytes = l.policies.find((p) => p.name === 'bytes');
  return bytes ? { ...b, bytesRemainingToday: bytes.remaining } : b;
}

export function reasonFor(code: VerifyCode, k: VerifiableKey): string {
  switch (code) {
    case 'EXPIRED':
      return `the key expired${k.expiresAtIso ? ` at ${k.expiresAtIso}` : ''}`;
    case 'REVOKED':
      return 'the key has been revoked';
    case 'SUSPENDED':
      return 'the key is suspended';
    case 'NOT_YET_CLAIMED':
      return 'the key has been approved but not claimed yet';
    case 'WRONG_ENVIRONMENT':
      return `the key is bound to ${k.environment}`;
    case 'FORBIDDEN_IP':
      return 'the client IP is not in the key\'s allow-list';
    case 'FORBIDDEN_REFERRER':
      return 'the referrer does not match the key\'s allowed origins';
    case 'FORBIDDEN_COUNTRY':
      return 'requests from this country are not allowed for this key';
    default:
      return code.toLowerCase().replace(/_/g, ' ');
  }
}

export function limitReason(l: LimitResult): string {
  if (l.code === 'QUOTA_EXCEEDED') return `quota exhausted${l.dimension ? ` for ${l.dimension}` : ''}`;
  if (l.code === 'CONCURRENCY_LIMITED') return 'too many concurrent requests';
  if (l.code === 'PAYLOAD_TOO_LARGE') return 'the request is larger than the key allows';
  return `rate limit exceeded${l.window ? ` (${l.window})` : ''}`;
}
