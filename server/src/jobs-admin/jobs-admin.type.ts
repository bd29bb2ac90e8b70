import { Field, ID, Int, ObjectType } from 'type-graphql';

@ObjectType()
export class QueueCountsType {
  @Field(() => Int) waiting!: number;
  @Field(() => Int) active!: number;
  @Field(() => Int) delayed!: number;
  @Field(() => Int) failed!: number;
  @Field(() => Int) completed!: number;
}

@ObjectType()
export class FailedJob {
  @Field(() => ID) id!: string;
  @Field({ description: 'Job name, e.g. deliver, finish-due-rotations, archival-run' }) name!: string;
  @Field({ description: 'Why the last attempt failed' }) failedReason!: string;
  @Field(() => Int) attemptsMade!: number;
  @Field(() => Date, { nullable: true }) failedAt!: Date | null;
}

@ObjectType({ description: 'One background job queue (platform-wide)' })
export class QueueStatus {
  @Field() name!: string;
  @Field(() => QueueCountsType) counts!: QueueCountsType;
  @Field(() => [FailedJob], { description: 'Newest failures first' }) failedJobs!: FailedJob[];
}
