import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { PageInfo } from '../access/pagination';
import type { ArchiveDoc } from './archive.model';
import type { ArchiveManifest } from './archive-manifest';

@ObjectType({ description: 'A verified chain position' })
export class AuditArchiveCheckpoint {
  @Field(() => Int) seq!: number;
  @Field() hash!: string;
}

@ObjectType({ description: 'The audit chain range an audit archive holds (events are copied, never deleted)' })
export class AuditArchiveRange {
  @Field(() => Int) fromSeq!: number;
  @Field(() => Int) toSeq!: number;
  @Field({ description: 'prevHash of the first event: the chain position the range continues from' }) prevHash!: string;
  @Field(() => AuditArchiveCheckpoint, { description: 'The last archived event; pass it to verifyAuditChain(from:) to resume there' })
  checkpoint!: AuditArchiveCheckpoint;
}

@ObjectType({ description: 'What an archive file holds, checked again on every read-back' })
export class ArchiveManifestType {
  @Field(() => Int) recordCount!: number;
  @Field({ description: 'Field the time range applies to' }) timeField!: string;
  @Field(() => Date, { nullable: true }) firstRecordAt!: Date | null;
  @Field(() => Date, { nullable: true }) lastRecordAt!: Date | null;
  @Field(() => String, { nullable: true, description: '_id of the first record (Extended JSON)' }) firstId!: string | null;
  @Field(() => String, { nullable: true, description: '_id of the last record (Extended JSON)' }) lastId!: string | null;
  @Field({ description: 'gzip-compressed NDJSON file name' }) file!: string;
  @Field(() => Float) bytes!: number;
  @Field({ description: 'SHA-256 (hex) of the compressed file' }) sha256!: string;
  @Field({ description: 'SHA-256 (hex) of the NDJSON content' }) contentSha256!: string;
  @Field({ description: 'False for audit events, which stay in the database' }) deletesRecords!: boolean;
  @Field(() => AuditArchiveRange, { nullable: true }) auditRange!: AuditArchiveRange | null;
  @Field(() => Date) createdAt!: Date;
}

@ObjectType({ description: 'Records past retention (or an expired key’s history), archived per organization and time range' })
export class Archive {
  @Field(() => ID, { description: 'arc_…' }) id!: string;
  @Field({ description: 'request_logs, usage_minute or audit_events' }) collection!: string;
  @Field(() => ID, { nullable: true, description: 'Set when this is the history of one key' }) keyId!: string | null;
  @Field({ description: 'committed (records being removed) or complete' }) state!: string;
  @Field(() => Date, { description: 'Start of the archived range (inclusive)' }) from!: Date;
  @Field(() => Date, { description: 'End of the archived range (exclusive)' }) to!: Date;
  @Field(() => ArchiveManifestType) manifest!: ArchiveManifestType;
}

@ObjectType()
export class ArchiveConnection {
  @Field(() => [Archive], { description: 'Newest first' }) nodes!: Archive[];
  @Field(() => PageInfo) pageInfo!: PageInfo;
}

@ObjectType({ description: 'Records read back from an archive file' })
export class ArchiveRecordPage {
  @Field(() => [String], { description: 'One record per entry, as stored (Extended JSON; audit events in auditExport form)' }) nodes!: string[];
  @Field(() => PageInfo) pageInfo!: PageInfo;
}

@ObjectType()
export class ArchiveIntegrity {
  @Field({ description: 'Record count and both SHA-256 sums match the manifest' }) ok!: boolean;
  @Field(() => String, { nullable: true }) problem!: string | null;
}

export function toArchive(d: ArchiveDoc): Archive {
  const m = d.manifest as ArchiveManifest;
  return {
    id: d._id,
    collection: d.collectionName,
    keyId: d.keyId,
    state: d.state,
    from: d.from,
    to: d.to,
    manifest: {
      recordCount: m.recordCount,
      timeField: m.timeField,
      firstRecordAt: m.firstRecordAt ? new Date(m.firstRecordAt) : null,
      lastRecordAt: m.lastRecordAt ? new Date(m.lastRecordAt) : null,
      firstId: m.firstId,
      lastId: m.lastId,
      file: m.file,
      bytes: m.bytes,
      sha256: m.sha256,
      contentSha256: m.contentSha256,
      deletesRecords: m.deletesRecords,
      auditRange: m.audit,
      createdAt: new Date(m.createdAt),
    },
  };
}
