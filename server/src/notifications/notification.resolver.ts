import { Arg, Authorized, Ctx, ID, Int, Mutation, Query, Resolver, Root, Subscription } from 'type-graphql';
import { subscriptionResolver, type GraphQLContext } from '../graphql/context';
import type { RedisPubSub } from '../infra/pubsub';
import { principalOf, requireUserId } from '../access/principal';
import type { NotificationDoc } from './notification.model';
import { notificationTopic, type NotificationService } from './notification.service';
import { Notification, NotificationConnection, toNotification } from './notification.type';

/** The signed-in user's own notifications; no argument can name another user. */
@Resolver()
export class NotificationResolver {
  constructor(
    private readonly notificationService: NotificationService,
    private readonly pubsub: Pick<RedisPubSub, 'iterate'>,
  ) {}

  @Authorized()
  @Query(() => NotificationConnection, { description: 'Your notifications, newest first' })
  async notifications(
    @Arg('unreadOnly', () => Boolean, { nullable: true }) unreadOnly: boolean | null,
    @Arg('first', () => Int, { nullable: true, description: 'Page size, 1–100 (default 20)' }) first: number | null,
    @Arg('after', () => String, { nullable: true, description: 'endCursor of the previous page' }) after: string | null,
    @Ctx() ctx: GraphQLContext,
  ): Promise<NotificationConnection> {
    const page = await this.notificationService.list(principalOf(ctx), { unreadOnly, first, after });
    return { nodes: page.nodes.map(toNotification), pageInfo: page.pageInfo, unreadCount: page.unreadCount };
  }

  @Authorized()
  @Mutation(() => Notification, { description: 'Marks one of your notifications read (idempotent)' })
  async markNotificationRead(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphQLContext): Promise<Notification> {
    return toNotification(await this.notificationService.markRead(principalOf(ctx), id));
  }

  @Subscription(() => Notification, {
    description: 'Your notifications as they arrive',
    subscribe: ({ context }) => {
      const { ctx, resolver } = subscriptionResolver(context, NotificationResolver);
      return resolver.notificationStream(ctx);
    },
  })
  notificationReceived(@Root() n: NotificationDoc, @Ctx() _ctx: GraphQLContext): Notification {
    return toNotification(n);
  }

  notificationStream(ctx: GraphQLContext): AsyncIterableIterator<NotificationDoc> {
    const principal = principalOf(ctx);
    const userId = requireUserId(principal);
    return this.pubsub.iterate<NotificationDoc>(notificationTopic(principal.orgId, userId), (m) => m.userId === userId && m.orgId === principal.orgId);
  }
}
