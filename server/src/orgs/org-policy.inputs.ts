import { Field, Float, InputType, Int } from 'type-graphql';

@InputType()
export class ApprovalRuleInput {
  @Field(() => String, { nullable: true })
  keyType?: string | null;

  @Field(() => String, { nullable: true })
  subtype?: string | null;

  @Field(() => String, { nullable: true })
  level?: string | null;

  @Field(() => Int)
  approvals!: number;
}

@InputType()
export class KeyLifetimeInput {
  @Field()
  keyType!: string;

  @Field(() => Int, { nullable: true })
  maxDays!: number | null;

  @Field()
  expiryRequired!: boolean;
}

@InputType({ description: 'Fields left out keep their value; null means no limit' })
export class RateLimitDefaultsInput {
  @Field(() => Int, { nullable: true })
  perSecond?: number | null;

  @Field(() => Int, { nullable: true })
  perMinute?: number | null;

  @Field(() => Int, { nullable: true })
  perHour?: number | null;

  @Field(() => Int, { nullable: true })
  perDay?: number | null;
}

@InputType()
export class RotationDefaultsInput {
  @Field(() => Int, { nullable: true })
  everyDays?: number | null;

  @Field(() => Int, { nullable: true })
  gracePeriodSeconds?: number | null;
}

@InputType()
export class AlertResponsesInput {
  @Field(() => Boolean, { nullable: true })
  suspendKeyOnCritical?: boolean | null;
}

@InputType({ description: 'Scale a key\'s limits down while its error rate is high' })
export class AdaptiveLimitingInput {
  @Field(() => Boolean, { nullable: true }) enabled?: boolean | null;
  @Field(() => Float, { nullable: true, description: '0.05–1' }) errorRateThreshold?: number | null;
  @Field(() => Float, { nullable: true, description: '0.1–1' }) minFactor?: number | null;
  @Field(() => Int, { nullable: true }) minRequests?: number | null;
}

@InputType({ description: 'Sections left out keep their value; lists replace, lifetimes merge per key type' })
export class UpdateOrganizationPolicyInput {
  @Field(() => [ApprovalRuleInput], { nullable: true })
  approvalRules?: ApprovalRuleInput[] | null;

  @Field(() => [KeyLifetimeInput], { nullable: true })
  keyLifetimes?: KeyLifetimeInput[] | null;

  @Field(() => RateLimitDefaultsInput, { nullable: true })
  defaultRateLimit?: RateLimitDefaultsInput | null;

  @Field(() => RotationDefaultsInput, { nullable: true })
  rotation?: RotationDefaultsInput | null;

  @Field(() => Boolean, { nullable: true })
  recoverableKeysAllowed?: boolean | null;

  @Field(() => [Int], { nullable: true })
  expiryWarningDays?: number[] | null;

  @Field(() => AlertResponsesInput, { nullable: true })
  alertResponses?: AlertResponsesInput | null;

  @Field(() => AdaptiveLimitingInput, { nullable: true })
  adaptiveLimiting?: AdaptiveLimitingInput | null;

  @Field(() => String, { nullable: true, description: 'suspend or revoke: what happens to a key reported exposed' })
  leakResponse?: string | null;
}
