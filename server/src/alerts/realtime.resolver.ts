import { Arg, Ctx, Field, Float, ID, Int, ObjectType, Resolver, Root, Subscription } from 'type-graphql';
import { Scope, Topic, type AlertRaisedMessage, type RateLimitEventMessage, type UsageTickMessage } from '@latchkey/schema';
import { subscriptionResolver, type GraphQLContext } from '../graphql/context';
import type { RedisPubSub } from '../infra/pubsub';
import type { KeyService } from '../keys/key.service';
import { principalOf, requireScope } from '../access/principal';
import { AlertEvent } from './alert.type';

@ObjectType({ description: 'A key was denied by a limit (at most one event per key per second)' })
export class RateLimitEvent {
  @Field(() => ID) keyId!: string;
  @Field({ description: 'RATE_LIMITED, QUOTA_EXCEEDED or CONCURRENCY_LIMITED' }) code!: string;
  @Field(() => Int, { description: 'Denials folded into this event' }) count!: number;
  @Field(() => Float, { description: 'Epoch ms' }) at!: number;
}

@ObjectType({ description: 'The organization’s traffic in one tick interval (every 5 s while there is traffic)' })
export class UsageTick {
  @Field(() => Float, { description: 'Start of the interval, epoch ms' }) from!: number;
  @Field(() => Int) intervalMs!: number;
  @Field(() => Int) requests!: number;
  @Field(() => Int) valid!: number;
  @Field(() => Int) denied!: number;
  @Field(() => Int) rateLimited!: number;
  @Field(() => Float, { description: 'Epoch ms when it was published' }) at!: number;
}

/**
 * Live feeds over graphql-ws, fed by per-organization Redis channels so any API node
 * delivers what any other node saw. The organization is the connection principal's,
 * never an argument; each subscription checks its own scope.
 */
@Resolver()
export class RealtimeResolver {
  constructor(
    private readonly pubsub: Pick<RedisPubSub, 'iterate'>,
    private readonly keyService: Pick<KeyService, 'getApiKey'>,
  ) {}

  @Subscription(() => AlertEvent, {
    description: 'New and escalated alerts of your organization (needs alerts:read)',
    subscribe: ({ context }) => {
      const { ctx, resolver } = subscriptionResolver(context, RealtimeResolver);
      return resolver.alertStream(ctx);
    },
  })
  alertRaised(@Root() m: AlertRaisedMessage): AlertEvent {
    return {
      alertId: m.alertId,
      type: m.type,
      severity: m.severity,
      keyId: m.keyId,
      ownerId: m.ownerId,
      ip: m.ip,
      count: m.count,
      firstSeen: m.firstSeen,
      lastSeen: m.lastSeen,
      escalated: m.escalated,
      summary: m.summary,
      at: m.at,
    };
  }

  @Subscription(() => RateLimitEvent, {
    description: 'Rate-limit, quota and concurrency denials of one key of your organization (needs keys:read)',
    subscribe: ({ args, context }) => {
      const { ctx, resolver } = subscriptionResolver(context, RealtimeResolver);
      return resolver.rateLimitEventStream(ctx, String((args as { keyId: string }).keyId));
    },
  })
  rateLimitEvents(@Arg('keyId', () => ID) _keyId: string, @Root() m: RateLimitEventMessage, @Ctx() _ctx: GraphQLContext): RateLimitEvent {
    return { keyId: m.keyId, code: m.code, count: m.count, at: m.at };
  }

  @Subscription(() => UsageTick, {
    description: 'Traffic of your organization every few seconds (needs analytics:read)',
    subscribe: ({ context }) => {
      const { ctx, resolver } = subscriptionResolver(context, RealtimeResolver);
      return resolver.usageTickStream(ctx);
    },
  })
  usageTick(@Root() m: UsageTickMessage): UsageTick {
    return { from: m.from, intervalMs: m.intervalMs, requests: m.requests, valid: m.valid, denied: m.denied, rateLimited: m.rateLimited, at: m.at };
  }

  alertStream(ctx: GraphQLContext): AsyncIterableIterator<AlertRaisedMessage> {
    const p = principalOf(ctx);
    requireScope(p, Scope.alertsRead);
    return this.pubsub.iterate<AlertRaisedMessage>(Topic.alertRaised(p.orgId), (m) => m.orgId === p.orgId);
  }

  async rateLimitEventStream(ctx: GraphQLContext, keyId: string): Promise<AsyncIterableIterator<RateLimitEventMessage>> {
    const p = principalOf(ctx);
    requireScope(p, Scope.keysRead);
    // Another organization's key answers NOT_FOUND, like everywhere else.
    await this.keyService.getApiKey(p, keyId);
    return this.pubsub.iterate<RateLimitEventMessage>(Topic.rateLimitEvent(p.orgId), (m) => m.orgId === p.orgId && m.keyId === keyId);
  }

  usageTickStream(ctx: GraphQLContext): AsyncIterableIterator<UsageTickMessage> {
    const p = principalOf(ctx);
    requireScope(p, Scope.analyticsRead);
    return this.pubsub.iterate<UsageTickMessage>(Topic.usageTick(p.orgId), (m) => m.orgId === p.orgId);
  }
}
