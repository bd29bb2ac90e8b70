import { Schema, type Connection, type Model } from 'mongoose';

/**
 * A reporter secret authenticating POST /v1/leaks. Only its SHA-256 is stored: the
 * secret is 256 random bits, so a plain digest cannot be brute-forced and, unlike a
 * peppered HMAC, survives a pepper rotation. `_id` is `org:<orgId>` (keys of that
 * organization) or `platform` (any organization's keys: the one GitHub partner
 * endpoint of a deployment), so setting a secret again replaces the previous one.
 */
export interface LeakReporterDoc {
  _id: string;
  scope: 'organization' | 'platform';
  /** The organization whose keys this reporter may act on; null for the platform reporter. */
  orgId: string | null;
  secretHash: string;
  /** First characters of the secret, for recognizing it in the console. */
  start: string;
  createdAt: Date;
  createdBy: string;
  version: number;
}

const reporterSchema = new Schema<LeakReporterDoc>(
  {
    _id: { type: String, required: true },
    scope: { type: String, required: true },
    orgId: { type: String, default: null },
    secretHash: { type: String, required: true },
    start: { type: String, required: true },
    createdAt: { type: Date, required: true },
    createdBy: { type: String, required: true },
    version: { type: Number, default: 0 },
  },
  { collection: 'leak_reporters', versionKey: false },
);
reporterSchema.index({ secretHash: 1 }, { unique: true });

export function leakReporterModel(conn: Connection): Model<LeakReporterDoc> {
  return (conn.models.LeakReporter as Model<LeakReporterDoc> | undefined) ?? conn.model<LeakReporterDoc>('LeakReporter', reporterSchema);
}

/**
 * One place a key was seen exposed. `_id` = sha256(keyId + url): a report repeated
 * (GitHub retries, a scanner run twice) inserts nothing and changes nothing — the
 * "exactly once" primitive FerretDB honours (docs/MONGODB-PORTABILITY.md).
 */
export interface LeakSightingDoc {
  _id: string;
  orgId: string;
  keyId: string;
  url: string | null;
  source: string | null;
  type: string | null;
  reporterId: string;
  at: Date;
}

const sightingSchema = new Schema<LeakSightingDoc>(
  {
    _id: { type: String, required: true },
    orgId: { type: String, required: true },
    keyId: { type: String, required: true },
    url: { type: String, default: null },
    source: { type: String, default: null },
    type: { type: String, default: null },
    reporterId: { type: String, required: true },
    at: { type: Date, required: true },
  },
  { collection: 'leak_sightings', versionKey: false },
);
sightingSchema.index({ orgId: 1, keyId: 1, at: -1 });

export function leakSightingModel(conn: Connection): Model<LeakSightingDoc> {
  return (conn.models.LeakSighting as Model<LeakSightingDoc> | undefined) ?? conn.model<LeakSightingDoc>('LeakSighting', sightingSchema);
}

/**
 * One response to a leaked key: `_id` = `<keyId>:<key version when acted on>`, so two
 * reports racing for the same live key insert one incident and act once, while a key
 * reactivated after a leak (a new version) is acted on again if it leaks again.
 */
export interface LeakIncidentDoc {
  _id: string;
  orgId: string;
  keyId: string;
  action: 'suspend' | 'revoke';
  /** Set when KeyService refused (e.g. someone revoked the key a moment earlier). */
  error: string | null;
  alertId: string | null;
  url: string | null;
  source: string | null;
  reporterId: string;
  at: Date;
}

const incidentSchema = new Schema<LeakIncidentDoc>(
  {
    _id: { type: String, required: true },
    orgId: { type: String, required: true },
    keyId: { type: String, required: true },
    action: { type: String, required: true },
    error: { type: String, default: null },
    alertId: { type: String, default: null },
    url: { type: String, default: null },
    source: { type: String, default: null },
    reporterId: { type: String, required: true },
    at: { type: Date, required: true },
  },
  { collection: 'leak_incidents', versionKey: false },
);
incidentSchema.index({ orgId: 1, at: -1 });

export function leakIncidentModel(conn: Connection): Model<LeakIncidentDoc> {
  return (conn.models.LeakIncident as Model<LeakIncidentDoc> | undefined) ?? conn.model<LeakIncidentDoc>('LeakIncident', incidentSchema);
}

export function isDuplicateKey(err: unknown): boolean {
  return (err as { code?: number } | null)?.code === 11000;
}
