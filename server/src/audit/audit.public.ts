/** What other workspaces (jobs: archival, erasure; test) may use of the audit trail. */
export { AuditService, MAX_EXPORT_EVENTS } from './audit.service';
export type { AuditEventPage, ChainCheckpoint, ChainVerification, AuditExportFormat } from './audit.service';
export type { AuditEventRecord } from './audit-record';
export type { AuditFilter, AuditPageArgs } from './audit-query';
export type { AuditActor, AuditTarget, AuditMeta, AuditInput } from './audit-input';
export { auditEventModel, type AuditEventDoc } from './audit.model';
export { canonicalJson } from './canonical-json';
export { CHAIN_VERSION, GENESIS_HASH, eventHash, payloadDigest, sanitizePayload, isSecretField } from './audit-hash';
