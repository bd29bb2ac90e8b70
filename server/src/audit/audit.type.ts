import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { GraphQLJSONObject } from 'graphql-scalars';

/** GraphQL names are upper case; values are what is stored. */
export const AuditActorTypeEnum = { USER: 'user', KEY: 'key', SYSTEM: 'system' } as const;
registerEnumType(AuditActorTypeEnum, { name: 'AuditActorType', description: 'Who performed an audited change' });

export const AuditExportFormatEnum = { NDJSON: 'NDJSON', CSV: 'CSV' } as const;
registerEnumType(AuditExportFormatEnum, { name: 'AuditExportFormat' });

@ObjectType()
export class AuditActorRef {
  @Field(() => AuditActorTypeEnum)
  type!: 'user' | 'key' | 'system';

  @Field({ description: 'usr_…, key_…, or a system component such as `jobs:expiry`' })
  id!: string;
}

@ObjectType()
export class AuditTargetRef {
  @Field({ description: 'Entity kind: key, user, role, application, organization, policy, webhook, …' })
  type!: string;

  @Field()
  id!: string;
}

@ObjectType({ description: 'One link of the organization’s hash-chained audit trail' })
export class AuditEvent {
  @Field(() => ID, { description: 'evt_…' })
  id!: string;

  @Field(() => Int, { description: 'Position in the organization’s chain: 1, 2, 3 …' })
  seq!: number;

  @Field()
  time!: Date;

  @Field(() => AuditActorRef)
  actor!: AuditActorRef;

  @Field({ description: 'Dotted verb, e.g. key.created' })
  action!: string;

  @Field(() => AuditTargetRef)
  target!: AuditTargetRef;

  @Field(() => String, { nullable: true })
  requestId!: string | null;

  @Field(() => String, { nullable: true })
  ip!: string | null;

  @Field(() => String, { nullable: true })
  userAgent!: string | null;

  @Field(() => GraphQLJSONObject, { nullable: true, description: 'State before the change; secrets are never included' })
  before!: Record<string, unknown> | null;

  @Field(() => GraphQLJSONObject, { nullable: true, description: 'State after the change; secrets are never included' })
  after!: Record<string, unknown> | null;

  @Field({ description: 'sha256 of canonical {before, after}; the hash commits to this, not to the payload itself' })
  payloadDigest!: string;

  @Field()
  prevHash!: string;

  @Field()
  hash!: string;
}

@ObjectType()
export class AuditEventEdge {
  @Field()
  cursor!: string;

  @Field(() => AuditEvent)
  node!: AuditEvent;
}

@ObjectType()
export class AuditPageInfo {
  @Field(() => String, { nullable: true })
  endCursor!: string | null;

  @Field()
  hasNextPage!: boolean;
}

@ObjectType({ description: 'Audit events, newest first' })
export class AuditEventConnection {
  @Field(() => [AuditEventEdge])
  edges!: AuditEventEdge[];

  @Field(() => [AuditEvent])
  nodes!: AuditEvent[];

  @Field(() => AuditPageInfo)
  pageInfo!: AuditPageInfo;
}

@ObjectType({ description: 'Result of walking the audit chain' })
export class AuditChainVerification {
  @Field({ description: 'True when every link from the start (or checkpoint) verified' })
  ok!: boolean;

  @Field(() => Int, { description: 'Events verified before stopping' })
  checked!: number;

  @Field(() => Int, { description: 'Seq of the last event that verified (a checkpoint to resume from)' })
  lastSeq!: number;

  @Field({ description: 'Hash of the last event that verified' })
  lastHash!: string;

  @Field(() => Int, { nullable: true })
  firstBrokenSeq?: number;

  @Field(() => String, { nullable: true, description: 'Absent when the broken link is a missing event' })
  firstBrokenId?: string;

  @Field(() => String, { nullable: true })
  reason?: string;
}
