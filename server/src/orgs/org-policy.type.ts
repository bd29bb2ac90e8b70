import { Field, Float, Int, ObjectType } from 'type-graphql';

@ObjectType({ description: 'Approvals a matching key needs; null fields match everything' })
export class ApprovalRule {
  @Field(() => String, { nullable: true, description: 'application, user or system' })
  keyType!: string | null;

  @Field(() => String, { nullable: true })
  subtype!: string | null;

  @Field(() => String, { nullable: true, description: 'full, read_write, read_only or custom' })
  level!: string | null;

  @Field(() => Int, { description: '0–5 distinct approvers' })
  approvals!: number;
}

@ObjectType()
export class KeyLifetimeRule {
  @Field()
  keyType!: string;

  @Field(() => Int, { nullable: true, description: 'Longest lifetime in days; null = unlimited' })
  maxDays!: number | null;

  @Field()
  expiryRequired!: boolean;
}

@ObjectType({ description: 'Limits a new key gets unless it sets its own; null = none' })
export class RateLimitDefaults {
  @Field(() => Int, { nullable: true })
  perSecond!: number | null;

  @Field(() => Int, { nullable: true })
  perMinute!: number | null;

  @Field(() => Int, { nullable: true })
  perHour!: number | null;

  @Field(() => Int, { nullable: true })
  perDay!: number | null;
}

@ObjectType()
export class RotationDefaults {
  @Field(() => Int, { nullable: true, description: 'Scheduled rotation interval; null = none' })
  everyDays!: number | null;

  @Field(() => Int)
  gracePeriodSeconds!: number;
}

@ObjectType()
export class AlertResponses {
  @Field()
  suspendKeyOnCritical!: boolean;
}

@ObjectType({ description: 'Scale a key\'s limits down while its error rate is high, back up when it recovers' })
export class AdaptiveLimitingPolicy {
  @Field() enabled!: boolean;
  @Field(() => Float) errorRateThreshold!: number;
  @Field(() => Float) minFactor!: number;
  @Field(() => Int) minRequests!: number;
}

@ObjectType({ description: "The organization's key policy (one per organization)" })
export class OrganizationPolicy {
  @Field(() => [ApprovalRule])
  approvalRules!: ApprovalRule[];

  @Field(() => [KeyLifetimeRule])
  keyLifetimes!: KeyLifetimeRule[];

  @Field(() => RateLimitDefaults)
  defaultRateLimit!: RateLimitDefaults;

  @Field(() => RotationDefaults)
  rotation!: RotationDefaults;

  @Field()
  recoverableKeysAllowed!: boolean;

  @Field(() => [Int], { description: 'Days before expiry at which owners are warned' })
  expiryWarningDays!: number[];

  @Field(() => AlertResponses)
  alertResponses!: AlertResponses;

  @Field(() => AdaptiveLimitingPolicy)
  adaptiveLimiting!: AdaptiveLimitingPolicy;

  @Field({ description: 'suspend (reversible) or revoke: what happens to a key reported exposed (POST /v1/leaks)' })
  leakResponse!: string;

  @Field(() => Int, { description: '0 while the defaults apply' })
  version!: number;

  @Field(() => Date, { nullable: true })
  updatedAt!: Date | null;

  @Field(() => String, { nullable: true })
  updatedBy!: string | null;
}
