import { Arg, Authorized, Ctx, ID, Query, Resolver } from 'type-graphql';
import { Scope } from '@latchkey/schema';
import type { GraphQLContext } from '../graphql/context';
import { principalOf } from '../access/principal';
import { GranularityEnum, UsagePoint, UsageSummary } from './usage.type';
import type { Granularity } from './usage-buckets';
import type { UsageService } from './usage.service';

@Resolver()
export class UsageResolver {
  constructor(private readonly usageService: UsageService) {}

  @Authorized(Scope.analyticsRead, Scope.keysRead)
  @Query(() => [UsagePoint], { description: 'One key’s usage per minute, hour or day (empty buckets included, at most 1 500)' })
  usage(
    @Ctx() ctx: GraphQLContext,
    @Arg('keyId', () => ID) keyId: string,
    @Arg('from') from: Date,
    @Arg('to') to: Date,
    @Arg('granularity', () => GranularityEnum, { defaultValue: 'HOUR' }) granularity: Granularity,
  ): Promise<UsagePoint[]> {
    return this.usageService.usage(principalOf(ctx).orgId, keyId, from, to, granularity);
  }

  @Authorized(Scope.analyticsRead, Scope.keysRead)
  @Query(() => UsageSummary, { description: 'Organization-wide usage, or of one key, application or owner, with trends and top keys' })
  usageSummary(
    @Ctx() ctx: GraphQLContext,
    @Arg('from') from: Date,
    @Arg('to') to: Date,
    @Arg('keyId', () => ID, { nullable: true }) keyId?: string | null,
    @Arg('applicationId', () => ID, { nullable: true }) applicationId?: string | null,
    @Arg('ownerId', () => ID, { nullable: true }) ownerId?: string | null,
  ): Promise<UsageSummary> {
    return this.usageService.summary(principalOf(ctx).orgId, from, to, { keyId, applicationId, ownerId });
  }
}
