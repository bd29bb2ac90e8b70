import { Field, Float, ID, InputType, Int, registerEnumType } from 'type-graphql';

/**
 * GraphQL inputs of the keys domain. Enumerations are plain strings here on purpose:
 * the service validates them with zod so a wrong value is a field-level
 * BAD_USER_INPUT naming the path, like every other input problem.
 */

@InputType()
export class RestrictionModesInput {
  @Field(() => String, { nullable: true, description: 'enforce (default) or report_only' }) ip?: string | null;
  @Field(() => String, { nullable: true }) referrer?: string | null;
  @Field(() => String, { nullable: true }) country?: string | null;
}

@InputType()
export class KeyRestrictionsInput {
  @Field(() => [String], { nullable: true, description: 'IPv4/IPv6 addresses or CIDRs' }) ipAllowList?: string[] | null;
  @Field(() => [String], { nullable: true, description: 'Patterns such as https://*.example.com' }) referrers?: string[] | null;
  @Field(() => [String], { nullable: true, description: 'ISO 3166-1 alpha-2 codes' }) countries?: string[] | null;
  @Field(() => Boolean, { nullable: true }) environmentBinding?: boolean | null;
  @Field(() => RestrictionModesInput, { nullable: true }) mode?: RestrictionModesInput | null;
}

@InputType()
export class BurstLimitInput {
  @Field(() => Int) maxBurst!: number;
  @Field(() => Int) burstWindowSeconds!: number;
}

@InputType()
export class BandwidthLimitInput {
  @Field(() => Float, { nullable: true }) uploadMbps?: number | null;
  @Field(() => Float, { nullable: true }) downloadMbps?: number | null;
  @Field(() => Float, { nullable: true }) totalGbPerDay?: number | null;
}

@InputType()
export class CreditRefillInput {
  @Field(() => Int) amount!: number;
  @Field(() => Int) everySeconds!: number;
}

@InputType()
export class CreditLimitInput {
  @Field(() => Int) amount!: number;
  @Field(() => CreditRefillInput, { nullable: true }) refill?: CreditRefillInput | null;
}

@InputType()
export class DimensionLimitInput {
  @Field() name!: string;
  @Field(() => Float) limit!: number;
  @Field({ description: 'second, minute, hour, day or month' }) window!: string;
}

@InputType({ description: 'Limits of one key; left out entirely, the organization’s default rate limit applies' })
export class KeyRateLimitInput {
  @Field(() => Int, { nullable: true }) perSecond?: number | null;
  @Field(() => Int, { nullable: true }) perMinute?: number | null;
  @Field(() => Int, { nullable: true }) perHour?: number | null;
  @Field(() => Int, { nullable: true }) perDay?: number | null;
  @Field(() => BurstLimitInput, { nullable: true }) burst?: BurstLimitInput | null;
  @Field(() => Int, { nullable: true }) concurrency?: number | null;
  @Field(() => Int, { nullable: true }) maxPayloadBytes?: number | null;
  @Field(() => BandwidthLimitInput, { nullable: true }) bandwidth?: BandwidthLimitInput | null;
  @Field(() => CreditLimitInput, { nullable: true }) credits?: CreditLimitInput | null;
  @Field(() => [DimensionLimitInput], { nullable: true }) dimensions?: DimensionLimitInput[] | null;
}

@InputType()
export class KeyRotationPolicyInput {
  @Field(() => Int) everyDays!: number;
  @Field(() => Int) gracePeriodSeconds!: number;
}

@InputType()
export class KeyMetadataInput {
  @Field() name!: string;
  @Field() value!: string;
}

@InputType({ description: 'What to issue. Subtype defaults and the organization policy fill in and bound the rest (docs/KEYS.md).' })
export class CreateApiKeyInput {
  @Field({ description: '1–100 characters' }) name!: string;
  @Field(() => String, { nullable: true }) description?: string | null;
  @Field({ description: 'application, user or system' }) type!: string;
  @Field({ description: 'A subtype of the type (service, web, … personal, temporary, … admin, emergency, …)' }) subtype!: string;
  @Field(() => String, { nullable: true, description: 'development, staging or production (default per subtype, usually production)' }) environment?: string | null;
  @Field(() => ID, { nullable: true, description: 'User keys: the owner (default: the caller)' }) ownerId?: string | null;
  @Field(() => ID, { nullable: true, description: 'Application keys: the application (required)' }) applicationId?: string | null;
  @Field(() => String, { nullable: true, description: 'full, read_write, read_only or custom (default custom; read_only for read-only subtypes)' }) permissionLevel?: string | null;
  @Field(() => [String], { nullable: true, description: 'Only with permissionLevel custom' }) scopes?: string[] | null;
  @Field(() => [ID], { nullable: true }) roleIds?: string[] | null;
  @Field(() => KeyRestrictionsInput, { nullable: true }) restrictions?: KeyRestrictionsInput | null;
  @Field(() => KeyRateLimitInput, { nullable: true }) rateLimit?: KeyRateLimitInput | null;
  @Field(() => KeyRotationPolicyInput, { nullable: true }) rotationPolicy?: KeyRotationPolicyInput | null;
  @Field(() => [String], { nullable: true }) tags?: string[] | null;
  @Field(() => [KeyMetadataInput], { nullable: true }) metadata?: KeyMetadataInput[] | null;
  @Field(() => Date, { nullable: true, description: 'Future, within the policy’s and subtype’s maximum lifetime' }) expiresAt?: Date | null;
  @Field(() => String, { nullable: true, description: 'Import an existing value instead of generating one (≥ 32 characters, not guessable)' }) customKey?: string | null;
  @Field(() => Boolean, { nullable: true, description: 'Keep a sealed copy readable through revealApiKey (only where the policy allows)' }) recoverable?: boolean | null;
  @Field(() => Int, { nullable: true, description: 'Random bytes in a generated key, 16–64 (default 32)' }) bytes?: number | null;
}

@InputType({ description: 'A key to be issued after the approvals the organization policy asks for' })
export class RequestApiKeyInput extends CreateApiKeyInput {
  @Field(() => String, { nullable: true, description: 'Why the key is needed (shown to approvers)' }) justification?: string | null;
}

@InputType({ description: 'Fields left out keep their value. Type, subtype, environment and owner cannot change; use renewApiKey for expiry.' })
export class UpdateApiKeyInput {
  @Field(() => String, { nullable: true }) name?: string | null;
  @Field(() => String, { nullable: true }) description?: string | null;
  @Field(() => String, { nullable: true }) permissionLevel?: string | null;
  @Field(() => [String], { nullable: true }) scopes?: string[] | null;
  @Field(() => [ID], { nullable: true }) roleIds?: string[] | null;
  @Field(() => KeyRestrictionsInput, { nullable: true }) restrictions?: KeyRestrictionsInput | null;
  @Field(() => KeyRateLimitInput, { nullable: true }) rateLimit?: KeyRateLimitInput | null;
  @Field(() => KeyRotationPolicyInput, { nullable: true }) rotationPolicy?: KeyRotationPolicyInput | null;
  @Field(() => [String], { nullable: true }) tags?: string[] | null;
  @Field(() => [KeyMetadataInput], { nullable: true }) metadata?: KeyMetadataInput[] | null;
}

export const ApiKeySortField = { createdAt: 'createdAt', name: 'name', expiresAt: 'expiresAt', lastUsedAt: 'lastUsedAt' } as const;
export type ApiKeySortField = (typeof ApiKeySortField)[keyof typeof ApiKeySortField];
registerEnumType(ApiKeySortField, { name: 'ApiKeySortField' });
export const SortDirection = { asc: 'asc', desc: 'desc' } as const;
export type SortDirection = (typeof SortDirection)[keyof typeof SortDirection];
registerEnumType(SortDirection, { name: 'ApiKeySortDirection' });

@InputType()
export class ApiKeySort {
  @Field(() => ApiKeySortField, { nullable: true, description: 'Default createdAt' }) field?: ApiKeySortField | null;
  @Field(() => SortDirection, { nullable: true, description: 'Default desc (newest first)' }) direction?: SortDirection | null;
}

@InputType({ description: 'All given conditions must hold' })
export class ApiKeyFilter {
  @Field(() => String, { nullable: true }) type?: string | null;
  @Field(() => String, { nullable: true }) subtype?: string | null;
  @Field(() => String, { nullable: true }) status?: string | null;
  @Field(() => String, { nullable: true }) environment?: string | null;
  @Field(() => ID, { nullable: true }) ownerId?: string | null;
  @Field(() => ID, { nullable: true }) applicationId?: string | null;
  @Field(() => String, { nullable: true }) tag?: string | null;
  @Field(() => Date, { nullable: true, description: 'Keys with an expiry before this instant' }) expiringBefore?: Date | null;
  @Field(() => String, { nullable: true, description: 'Case-insensitive text in the name, or the start of the key (start)' }) search?: string | null;
}
