/**
 * What an archive holds, written beside its data file. Writing it (temp file, fsync,
 * rename) is the archive's commit point; every number in it is checked again when the
 * archive is read back, before any record is deleted.
 */
export interface ArchiveManifest {
  version: 1;
  id: string;
  orgId: string;
  collection: string;
  keyId: string | null;
  timeField: string;
  /** The requested range [from, to) (ISO). */
  from: string;
  to: string;
  recordCount: number;
  /** Earliest and latest time-field values actually archived (ISO; null when empty). */
  firstRecordAt: string | null;
  lastRecordAt: string | null;
  /** `_id` of the first and last record, in `_id` order (EJSON text). */
  firstId: string | null;
  lastId: string | null;
  /** Data file name, beside the manifest. */
  file: string;
  bytes: number;
  /** SHA-256 (hex) of the gzip file as stored, and of the NDJSON inside it. */
  sha256: string;
  contentSha256: string;
  /** False for audit events, which are copied but never deleted. */
  deletesRecords: boolean;
  /** Audit archives: the chain just before the range and at its end. */
  audit: AuditRange | null;
  createdAt: string;
}

export interface AuditRange {
  fromSeq: number;
  toSeq: number;
  /** prevHash of the first archived event (the chain position the range starts from). */
  prevHash: string;
  /** The last archived event: `verifyAuditChain(from: checkpoint)` resumes after it. */
  checkpoint: { seq: number; hash: string };
}

export function manifestFileName(id: string): string {
  return `${id}.manifest.json`;
}

export function dataFileName(id: string): string {
  return `${id}.ndjson.gz`;
}

/** Loose shape check of a manifest read from disk (a truncated file fails JSON.parse first). */
export function parseManifest(text: string): ArchiveManifest {
  const m = JSON.parse(text) as ArchiveManifest;
  const ok = m && m.version === 1 && typeof m.id === 'string' && Number.isInteger(m.recordCount) && /^[0-9a-f]{64}$/.test(m.sha256) && /^[0-9a-f]{64}$/.test(m.contentSha256);
  if (!ok) throw new Error('not an archive manifest');
  return m;
}
