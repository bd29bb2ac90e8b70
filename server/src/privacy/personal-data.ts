import type { Connection } from 'mongoose';
import type { Collection, Document } from 'mongodb';
import { AppError } from '../infra/app-error';

/**
 * Where the platform keeps personal data about a user, as (collection, filter,
 * fields). docs/PERSONAL-DATA.md is the prose version of this table; keep them in step.
 * Secrets and secret-derived values (password hash, token hashes, key hashes and
 * ciphertexts) are never part of an export: they are not information about the
 * person, and exporting them would only widen their exposure.
 */
interface Source {
  name: string;
  collection: string;
  filter(orgId: string, userId: string): Document;
  fields: Record<string, 1>;
  limit: number;
}

const MAX_AUDIT = 10_000;

const SOURCES: readonly Source[] = [
  {
    name: 'sessions',
    collection: 'sessions',
    filter: (orgId, userId) => ({ orgId, userId }),
    fields: { _id: 1, createdAt: 1, expiresAt: 1, revokedAt: 1, revokedReason: 1, ip: 1, userAgent: 1 },
    limit: 5_000,
  },
  {
    name: 'apiKeys',
    collection: 'api_keys',
    filter: (orgId, userId) => ({ orgId, $or: [{ ownerId: userId }, { createdBy: userId }] }),
    fields: {
      _id: 1, name: 1, description: 1, type: 1, subtype: 1, environment: 1, status: 1, start: 1, last4: 1,
      ownerId: 1, createdBy: 1, createdAt: 1, expiresAt: 1, lastUsedAt: 1, revokedAt: 1, statusReason: 1,
    },
    limit: 10_000,
  },
  {
    name: 'keyRequests',
    collection: 'key_requests',
    filter: (orgId, userId) => ({ orgId, $or: [{ requesterId: userId }, { requestedBy: userId }, { 'approvals.userId': userId }] }),
    fields: { _id: 1, requesterId: 1, requestedBy: 1, justification: 1, status: 1, approvals: 1, rejection: 1, keyId: 1, createdAt: 1, claimedAt: 1 },
    limit: 10_000,
  },
  {
    name: 'notifications',
    collection: 'notifications',
    filter: (orgId, userId) => ({ orgId, userId }),
    fields: { _id: 1, kind: 1, keyId: 1, title: 1, body: 1, readAt: 1, createdAt: 1 },
    limit: 10_000,
  },
  {
    name: 'alerts',
    collection: 'alerts',
    filter: (orgId, userId) => ({ orgId, $or: [{ ownerId: userId }, { acknowledgedBy: userId }, { resolvedBy: userId }] }),
    fields: { _id: 1, type: 1, severity: 1, status: 1, title: 1, summary: 1, keyId: 1, ip: 1, firstSeen: 1, lastSeen: 1, acknowledgedBy: 1, resolvedBy: 1, createdAt: 1 },
    limit: 10_000,
  },
  {
    name: 'auditEvents',
    collection: 'audit_events',
    filter: (orgId, userId) => ({ orgId, $or: [{ 'actor.id': userId }, { 'target.id': userId }] }),
    fields: { _id: 1, seq: 1, time: 1, actor: 1, action: 1, target: 1, requestId: 1, ip: 1, userAgent: 1, before: 1, after: 1 },
    limit: MAX_AUDIT,
  },
];

export interface PersonalDataExport {
  format: 'latchkey-personal-data';
  version: 1;
  generatedAt: string;
  user: Record<string, unknown>;
  /** Per source: its records, and whether the limit cut it short. */
  data: Record<string, { records: Document[]; truncated: boolean }>;
}

function coll(conn: Connection, name: string): Collection {
  const db = conn.db;
  if (!db) throw AppError.unavailable('MongoDB is not connected');
  return db.collection(name);
}

/** Everything the platform holds about one user of one organization (GDPR art. 15/20). */
export async function collectPersonalData(conn: Connection, orgId: string, userId: string): Promise<PersonalDataExport> {
  const user = await coll(conn, 'users').findOne(
    { _id: userId, orgId } as Document,
    {
      projection: {
        _id: 1, orgId: 1, email: 1, name: 1, status: 1, roleIds: 1, scopes: 1,
        isPlatformAdmin: 1, passwordChangedAt: 1, lastLoginAt: 1, createdAt: 1, updatedAt: 1, erasedAt: 1,
      },
    },
  );
  if (!user) throw AppError.notFound('user');
  const data: PersonalDataExport['data'] = {};
  for (const s of SOURCES) {
    const rows = await coll(conn, s.collection).find(s.filter(orgId, userId), { projection: s.fields }).sort({ _id: 1 }).limit(s.limit + 1).toArray();
    data[s.name] = { records: rows.slice(0, s.limit), truncated: rows.length > s.limit };
  }
  return { format: 'latchkey-personal-data', version: 1, generatedAt: new Date().toISOString(), user, data };
}
