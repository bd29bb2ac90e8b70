import { Field, Float, InputType, Int, ObjectType } from 'type-graphql';
import { GraphQLJSONObject } from 'graphql-scalars';

@ObjectType({ description: 'The state of the most restrictive limit after this request' })
export class RateLimitState {
  @Field(() => Float) limit!: number;
  @Field(() => Float) remaining!: number;
  @Field(() => Int, { description: 'Milliseconds until the window frees capacity' }) resetMs!: number;
  @Field({ description: 'second, minute, hour, day, month, burst, concurrency, bytes, credits or a dimension' }) window!: string;
}

@ObjectType({ description: 'The answer to "may this key do this, right now?"' })
export class KeyVerification {
  @Field() valid!: boolean;
  @Field({ description: 'VALID or the reason the key was refused (CONTRACT.md)' }) code!: string;
  @Field(() => String, { nullable: true }) keyId?: string | null;
  @Field(() => String, { nullable: true }) orgId?: string | null;
  @Field(() => String, { nullable: true }) ownerId?: string | null;
  @Field(() => String, { nullable: true }) type?: string | null;
  @Field(() => String, { nullable: true }) subtype?: string | null;
  @Field(() => String, { nullable: true }) environment?: string | null;
  @Field(() => [String], { nullable: true }) scopes?: string[] | null;
  @Field(() => String, { nullable: true }) expiresAt?: string | null;
  @Field(() => RateLimitState, { nullable: true }) ratelimit?: RateLimitState | null;
  @Field(() => String, { nullable: true, description: 'The metered dimension that ran out' }) dimension?: string | null;
  @Field(() => String, { nullable: true, description: 'Human-readable when not valid' }) reason?: string | null;
  @Field(() => String, { nullable: true, description: 'Concurrency lease to release through POST /v1/usage' }) leaseId?: string | null;
}

@InputType({ description: 'What to verify; only `key` is required' })
export class VerifyApiKeyInput {
  @Field() key!: string;
  @Field(() => String, { nullable: true }) resource?: string;
  @Field(() => String, { nullable: true }) action?: string;
  @Field(() => String, { nullable: true }) resourceId?: string;
  @Field(() => String, { nullable: true }) ip?: string;
  @Field(() => String, { nullable: true }) referrer?: string;
  @Field(() => String, { nullable: true, description: 'development, staging or production' }) environment?: string;
  @Field(() => String, { nullable: true }) country?: string;
  @Field(() => Int, { nullable: true }) cost?: number;
  @Field(() => GraphQLJSONObject, { nullable: true, description: 'Cost per metered dimension, e.g. {"db_queries": 3}' }) costs?: Record<string, unknown>;
  @Field(() => Float, { nullable: true }) bytesIn?: number;
  @Field(() => Float, { nullable: true }) bytesOut?: number;
}

@ObjectType({ description: 'One limit of a key' })
export class LimitPolicyState {
  @Field({ description: 'second, minute, hour, day, month, burst, concurrency, bytes, credits or a dimension' }) name!: string;
  @Field(() => Float) quota!: number;
  @Field(() => Int) windowSeconds!: number;
  @Field(() => Float) remaining!: number;
  @Field(() => Float) resetSeconds!: number;
  @Field(() => String, { nullable: true }) unit?: string | null;
}

@ObjectType({ description: 'Every limit of a key, live from Redis' })
export class RateLimitStatus {
  @Field() keyId!: string;
  @Field(() => [LimitPolicyState]) policies!: LimitPolicyState[];
  @Field(() => Float, { description: 'Multiplier (0.1–1) applied while the key is under adaptive limiting' }) adaptiveFactor!: number;
  @Field({ description: 'Whether the answer came from Redis (false: Redis unreachable)' }) live!: boolean;
}
