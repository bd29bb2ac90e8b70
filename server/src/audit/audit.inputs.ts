import { ArgsType, Field, InputType, Int } from 'type-graphql';
import { IsOptional, Matches, Max, MaxLength, Min } from 'class-validator';
import { AuditActorTypeEnum, AuditExportFormatEnum } from './audit.type';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from './audit-query';

@InputType({ description: 'All given fields must match' })
export class AuditEventFilter {
  @Field(() => AuditActorTypeEnum, { nullable: true })
  actorType?: 'user' | 'key' | 'system';

  @Field({ nullable: true })
  @IsOptional()
  @MaxLength(200)
  actorId?: string;

  @Field({ nullable: true })
  @IsOptional()
  @MaxLength(64)
  targetType?: string;

  @Field({ nullable: true })
  @IsOptional()
  @MaxLength(200)
  targetId?: string;

  @Field({ nullable: true, description: 'Exact action, e.g. key.revoked' })
  @IsOptional()
  @MaxLength(128)
  action?: string;

  @Field({ nullable: true, description: 'Inclusive lower bound on event time' })
  from?: Date;

  @Field({ nullable: true, description: 'Exclusive upper bound on event time' })
  to?: Date;
}

@ArgsType()
export class AuditEventsArgs {
  @Field(() => AuditEventFilter, { nullable: true })
  filter?: AuditEventFilter;

  @Field(() => Int, { defaultValue: DEFAULT_PAGE_SIZE, description: `Page size, 1..${MAX_PAGE_SIZE}` })
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  first!: number;

  @Field(() => String, { nullable: true, description: 'endCursor of the previous page' })
  @IsOptional()
  @MaxLength(100)
  after?: string | null;
}

@InputType({ description: 'A verified chain position to start from, e.g. the end of an archived range' })
export class AuditChainCheckpointInput {
  @Field(() => Int)
  @Min(0)
  seq!: number;

  @Field()
  @Matches(/^[0-9a-f]{64}$/)
  hash!: string;
}

@ArgsType()
export class VerifyAuditChainArgs {
  @Field(() => AuditChainCheckpointInput, { nullable: true })
  from?: AuditChainCheckpointInput;
}

@ArgsType()
export class AuditExportArgs {
  @Field(() => AuditExportFormatEnum)
  format!: 'NDJSON' | 'CSV';

  @Field(() => AuditEventFilter, { nullable: true })
  filter?: AuditEventFilter;
}
