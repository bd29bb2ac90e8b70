import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { PageInfo } from '../access/pagination';
import { KeyMetadataEntry, KeyRateLimit, KeyRestrictionsType, KeyRotationPolicy } from '../keys/key.type';
import type { KeyRequestDoc, KeyRequestStatus } from './request.model';
import { effectiveStatus } from './request-store';

export const KeyRequestStatusEnum = {
  pending_approval: 'pending_approval',
  approved: 'approved',
  rejected: 'rejected',
  claimed: 'claimed',
  claim_expired: 'claim_expired',
} as const;
registerEnumType(KeyRequestStatusEnum, { name: 'KeyRequestStatus', description: 'approved = issued and waiting to be claimed within its window' });

@ObjectType()
export class KeyApproval {
  @Field(() => ID) userId!: string;
  @Field() comment!: string;
  @Field(() => Date) at!: Date;
}

@ObjectType()
export class KeyRejection {
  @Field(() => ID) userId!: string;
  @Field() reason!: string;
  @Field(() => Date) at!: Date;
}

@ObjectType({ description: 'The key configuration a request asks for, as validated when it was made' })
export class RequestedKey {
  @Field() name!: string;
  @Field() description!: string;
  @Field() type!: string;
  @Field() subtype!: string;
  @Field() environment!: string;
  @Field(() => ID, { nullable: true }) ownerId!: string | null;
  @Field(() => ID, { nullable: true }) applicationId!: string | null;
  @Field() permissionLevel!: string;
  @Field(() => [String]) scopes!: string[];
  @Field(() => [ID]) roleIds!: string[];
  @Field(() => [String], { description: 'Direct and role scopes the key would hold' }) grantedScopes!: string[];
  @Field(() => KeyRestrictionsType) restrictions!: KeyRestrictionsType;
  @Field(() => KeyRateLimit) rateLimit!: KeyRateLimit;
  @Field(() => KeyRotationPolicy, { nullable: true }) rotationPolicy!: KeyRotationPolicy | null;
  @Field(() => [String]) tags!: string[];
  @Field(() => [KeyMetadataEntry]) metadata!: KeyMetadataEntry[];
  @Field(() => Date, { nullable: true, description: 'Explicit expiry (else expiryLifetimeSeconds from issue)' }) expiresAt!: Date | null;
  @Field(() => Int, { nullable: true, description: 'Default lifetime applied when the key is issued' }) expiryLifetimeSeconds!: number | null;
  @Field() recoverable!: boolean;
  @Field() custom!: boolean;
}

@ObjectType({ description: 'A request for an API key and its approvals' })
export class KeyRequest {
  @Field(() => ID) id!: string;
  @Field(() => KeyRequestStatusEnum) status!: KeyRequestStatus;
  @Field(() => ID, { description: 'Who asked; only they can claim the key' }) requesterId!: string;
  @Field() justification!: string;
  @Field(() => RequestedKey) key!: RequestedKey;
  @Field(() => Int) approvalsRequired!: number;
  @Field(() => [KeyApproval]) approvals!: KeyApproval[];
  @Field(() => KeyRejection, { nullable: true }) rejection!: KeyRejection | null;
  @Field(() => ID, { nullable: true, description: 'The issued key (see apiKey)' }) keyId!: string | null;
  @Field(() => Date, { nullable: true }) claimExpiresAt!: Date | null;
  @Field(() => Date, { nullable: true }) claimedAt!: Date | null;
  @Field(() => Date) createdAt!: Date;
  @Field(() => Date) updatedAt!: Date;
}

@ObjectType()
export class KeyRequestConnection {
  @Field(() => [KeyRequest]) nodes!: KeyRequest[];
  @Field(() => PageInfo) pageInfo!: PageInfo;
}

@InputType({ description: 'All given conditions must hold' })
export class KeyRequestFilter {
  @Field(() => Boolean, { nullable: true, description: 'Only requests I made' }) mine?: boolean | null;
  @Field(() => Boolean, { nullable: true, description: 'Pending requests I may still approve (not mine, not yet approved by me)' }) pendingForMe?: boolean | null;
  @Field(() => String, { nullable: true, description: 'pending_approval, approved, rejected, claimed or claim_expired' }) status?: string | null;
}

export function toKeyRequest(r: KeyRequestDoc, now: Date = new Date()): KeyRequest {
  const s = r.spec;
  return {
    id: r._id,
    status: effectiveStatus(r, now),
    requesterId: r.requesterId,
    justification: r.justification,
    key: {
      name: s.name,
      description: s.description,
      type: s.type,
      subtype: s.subtype,
      environment: s.environment,
      ownerId: s.ownerId,
      applicationId: s.applicationId,
      permissionLevel: s.permissionLevel,
      scopes: s.scopes,
      roleIds: s.roleIds,
      grantedScopes: s.grantedScopes,
      restrictions: s.restrictions as KeyRestrictionsType,
      rateLimit: (s.limits ?? {}) as KeyRateLimit,
      rotationPolicy: s.rotationPolicy,
      tags: s.tags,
      metadata: s.metadata,
      expiresAt: s.expiresAt ? new Date(s.expiresAt) : null,
      expiryLifetimeSeconds: s.defaultLifetimeMs === null ? null : Math.round(s.defaultLifetimeMs / 1000),
      recoverable: s.recoverable,
      custom: s.custom,
    },
    approvalsRequired: r.approvalsRequired,
    approvals: r.approvals.map((a) => ({ userId: a.userId, comment: a.comment, at: a.at })),
    rejection: r.rejection,
    keyId: r.keyId,
    claimExpiresAt: r.claimExpiresAt,
    claimedAt: r.claimedAt,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  };
}
