import { Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Environment, KeyStatus, KeyType, PermissionLevel, ALL_KEY_SUBTYPES, RestrictionMode } from '@latchkey/schema';
import { PageInfo } from '../access/pagination';
import type { ApiKeyDoc } from './key.model';
import { SUBTYPE_DEFAULTS } from './key-defaults';

/**
 * The GraphQL face of an API key. Built only through `toApiKey`, which copies named
 * fields: the hash, pepper version and sealed material have no field to land in.
 */
registerEnumType(KeyType, { name: 'KeyType', description: 'Who a key belongs to: an application, a user, or the organization' });
const KeySubtypeEnum = Object.fromEntries(ALL_KEY_SUBTYPES.map((s) => [s, s]));
registerEnumType(KeySubtypeEnum, { name: 'KeySubtype', description: 'Refines the key type and sets defaults (docs/KEYS.md)' });
registerEnumType(Environment, { name: 'KeyEnvironment' });
registerEnumType(KeyStatus, { name: 'KeyStatus' });
registerEnumType(PermissionLevel, { name: 'PermissionLevel', description: 'full = *:*, read_write, read_only = *:read, custom = the listed scopes' });
registerEnumType(RestrictionMode, { name: 'RestrictionMode', description: 'enforce blocks; report_only logs and alerts' });

@ObjectType()
export class RestrictionModes {
  @Field(() => RestrictionMode) ip!: string;
  @Field(() => RestrictionMode) referrer!: string;
  @Field(() => RestrictionMode) country!: string;
}

@ObjectType({ description: 'Where a key may be used from' })
export class KeyRestrictionsType {
  @Field(() => [String], { description: 'IPv4/IPv6 addresses or CIDRs; empty = any' }) ipAllowList!: string[];
  @Field(() => [String], { description: 'Referrer/origin patterns such as https://*.example.com; empty = any' }) referrers!: string[];
  @Field(() => [String], { description: 'ISO 3166-1 alpha-2 codes; empty = any' }) countries!: string[];
  @Field({ description: 'Verify requests must name the key’s environment' }) environmentBinding!: boolean;
  @Field(() => RestrictionModes) mode!: RestrictionModes;
}

@ObjectType()
export class BurstLimit {
  @Field(() => Int) maxBurst!: number;
  @Field(() => Int) burstWindowSeconds!: number;
}

@ObjectType()
export class BandwidthLimit {
  @Field(() => Float, { nullable: true }) uploadMbps?: number;
  @Field(() => Float, { nullable: true }) downloadMbps?: number;
  @Field(() => Float, { nullable: true }) totalGbPerDay?: number;
}

@ObjectType()
export class CreditRefill {
  @Field(() => Int) amount!: number;
  @Field(() => Int) everySeconds!: number;
}

@ObjectType()
export class CreditLimit {
  @Field(() => Int) amount!: number;
  @Field(() => CreditRefill, { nullable: true }) refill?: CreditRefill;
}

@ObjectType()
export class DimensionLimitType {
  @Field() name!: string;
  @Field(() => Float) limit!: number;
  @Field() window!: string;
}

@ObjectType({ description: 'The limits configured on a key (live counters: rateLimitStatus)' })
export class KeyRateLimit {
  @Field(() => Int, { nullable: true }) perSecond?: number;
  @Field(() => Int, { nullable: true }) perMinute?: number;
  @Field(() => Int, { nullable: true }) perHour?: number;
  @Field(() => Int, { nullable: true }) perDay?: number;
  @Field(() => BurstLimit, { nullable: true }) burst?: BurstLimit;
  @Field(() => Int, { nullable: true }) concurrency?: number;
  @Field(() => Int, { nullable: true }) maxPayloadBytes?: number;
  @Field(() => BandwidthLimit, { nullable: true }) bandwidth?: BandwidthLimit;
  @Field(() => CreditLimit, { nullable: true }) credits?: CreditLimit;
  @Field(() => [DimensionLimitType], { nullable: true }) dimensions?: DimensionLimitType[];
}

@ObjectType()
export class KeyRotationPolicy {
  @Field(() => Int) everyDays!: number;
  @Field(() => Int) gracePeriodSeconds!: number;
}

@ObjectType()
export class KeyMetadataEntry {
  @Field() name!: string;
  @Field() value!: string;
}

@ObjectType({ description: 'An API key. The secret is never a field: it appears once, in the payload that issued it.' })
export class ApiKey {
  @Field(() => ID) id!: string;
  @Field() name!: string;
  @Field() description!: string;
  @Field(() => KeyType) type!: string;
  @Field(() => KeySubtypeEnum) subtype!: string;
  @Field(() => Environment) environment!: string;
  @Field(() => KeyStatus) status!: string;
  @Field(() => String, { nullable: true, description: 'Why it is suspended/revoked' }) statusReason!: string | null;
  @Field({ description: 'prefix_env_ + first 4 of the body (first 4 characters for custom keys)' }) start!: string;
  @Field() last4!: string;
  @Field({ description: 'Imported value rather than generated' }) custom!: boolean;
  @Field({ description: 'A sealed copy exists; revealApiKey can read it back' }) recoverable!: boolean;
  @Field(() => ID, { nullable: true, description: 'usr_… for user keys (and the application owner for application keys); null for system keys' }) ownerId!: string | null;
  @Field(() => ID, { nullable: true }) applicationId!: string | null;
  @Field(() => ID) createdBy!: string;
  @Field(() => ID, { nullable: true, description: 'The request it was issued through' }) requestId!: string | null;
  @Field(() => PermissionLevel) permissionLevel!: string;
  @Field(() => [String], { description: 'Direct scopes (see effectiveScopes for roles included)' }) scopes!: string[];
  @Field(() => [ID]) roleIds!: string[];
  @Field(() => KeyRestrictionsType) restrictions!: KeyRestrictionsType;
  @Field(() => KeyRateLimit) rateLimit!: KeyRateLimit;
  @Field(() => KeyRotationPolicy, { nullable: true }) rotationPolicy!: KeyRotationPolicy | null;
  @Field(() => [String]) tags!: string[];
  @Field(() => [KeyMetadataEntry]) metadata!: KeyMetadataEntry[];
  @Field({ description: 'Every use is audited and alerted (emergency keys)' }) alertOnUse!: boolean;
  @Field(() => Date, { nullable: true }) expiresAt!: Date | null;
  @Field(() => Date, { nullable: true, description: 'Approved keys: the one-time secret can be claimed until then' }) claimExpiresAt!: Date | null;
  @Field(() => Date, { nullable: true, description: 'Rotating keys stop working then' }) graceEndsAt!: Date | null;
  @Field(() => ID, { nullable: true }) rotatedFromId!: string | null;
  @Field(() => ID, { nullable: true }) rotatedToId!: string | null;
  @Field(() => Date, { nullable: true }) revokedAt!: Date | null;
  @Field(() => Date, { nullable: true }) lastUsedAt!: Date | null;
  @Field(() => Date) createdAt!: Date;
  @Field(() => Date) updatedAt!: Date;
  /** Not a field: lets field resolvers reach the org without another lookup. */
  orgId!: string;
}

@ObjectType()
export class ApiKeyConnection {
  @Field(() => [ApiKey]) nodes!: ApiKey[];
  @Field(() => PageInfo) pageInfo!: PageInfo;
  /** Read only when the query selects the field (the resolver returns a getter), so a page without it counts nothing. */
  @Field(() => Int, { description: 'Keys matching the filter (all pages)' }) totalCount!: Promise<number>;
}

const SECRET_NOTICE = 'The secret is returned only once; this idempotent replay returns the key without it.';

@ObjectType({ description: 'A newly issued key and its secret — shown this once, store it now' })
export class ApiKeySecretPayload {
  @Field(() => ApiKey) apiKey!: ApiKey;
  @Field(() => String, { nullable: true, description: 'The plaintext key; null on an idempotent replay' }) secret!: string | null;
  @Field({ description: 'True when this answers a repeated idempotency key' }) replayed!: boolean;
  @Field(() => String, { nullable: true }) notice!: string | null;
}

@ObjectType({ description: 'The successor key (with its one-time secret) and the key it replaces' })
export class RotateApiKeyPayload extends ApiKeySecretPayload {
  @Field(() => ApiKey, { description: 'The old key: rotating until graceEndsAt, then revoked' }) previous!: ApiKey;
}

@ObjectType()
export class RevealedApiKey {
  @Field(() => ApiKey) apiKey!: ApiKey;
  @Field() secret!: string;
}

export function replayNotice(replayed: boolean): string | null {
  return replayed ? SECRET_NOTICE : null;
}

export function toApiKey(k: ApiKeyDoc): ApiKey {
  return {
    id: k._id,
    orgId: k.orgId,
    name: k.name,
    description: k.description,
    type: k.type,
    subtype: k.subtype,
    environment: k.environment,
    status: k.status,
    statusReason: k.statusReason,
    start: k.start,
    last4: k.last4,
    custom: k.custom,
    recoverable: k.recoverable,
    ownerId: k.ownerId,
    applicationId: k.applicationId,
    createdBy: k.createdBy,
    requestId: k.requestId,
    permissionLevel: k.permissionLevel,
    scopes: k.scopes,
    roleIds: k.roleIds,
    restrictions: k.restrictions as KeyRestrictionsType,
    rateLimit: (k.limits ?? {}) as KeyRateLimit,
    rotationPolicy: k.rotationPolicy,
    tags: k.tags,
    metadata: k.metadata,
    alertOnUse: SUBTYPE_DEFAULTS[k.subtype]?.alertOnUse ?? false,
    expiresAt: k.expiresAt,
    claimExpiresAt: k.claimExpiresAt,
    graceEndsAt: k.graceEndsAt,
    rotatedFromId: k.rotatedFromId,
    rotatedToId: k.rotatedToId,
    revokedAt: k.revokedAt,
    lastUsedAt: k.lastUsedAt,
    createdAt: k.createdAt,
    updatedAt: k.updatedAt,
  };
}
