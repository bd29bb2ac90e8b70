import { Ctx, Field, Float, ID, ObjectType, Resolver, Root, Subscription } from 'type-graphql';
import { Scope, Topic } from '@latchkey/schema';
import { subscriptionResolver, type GraphQLContext } from '../graphql/context';
import type { RedisPubSub } from '../infra/pubsub';
import { principalOf, requireScope } from '../access/principal';
import type { KeyEventMessage } from './key-events';

@ObjectType({ description: 'A change to a key or key request of the organization' })
export class KeyEvent {
  @Field({ description: 'The audit action, e.g. key.created, key.revoked, key.approved' }) type!: string;
  @Field(() => ID, { nullable: true }) keyId!: string | null;
  @Field(() => ID, { nullable: true }) requestId!: string | null;
  @Field(() => String, { nullable: true, description: 'Status of the key or request after the change' }) status!: string | null;
  @Field(() => ID, { description: 'Who made the change (usr_…, key_… or a system component)' }) actorId!: string;
  @Field(() => Float, { description: 'Epoch milliseconds' }) at!: number;
}

/**
 * `keyEvents`: live key changes of the caller's organization. The tenant comes from
 * the connection's principal, never from arguments (ARCHITECTURE §6).
 */
@Resolver()
export class KeyEventsResolver {
  constructor(private readonly pubsub: Pick<RedisPubSub, 'iterate'>) {}

  @Subscription(() => KeyEvent, {
    description: 'Key and key-request changes of your organization (needs keys:read)',
    subscribe: ({ context }) => {
      const { ctx, resolver } = subscriptionResolver(context, KeyEventsResolver);
      return resolver.keyEventStream(ctx);
    },
  })
  keyEvents(@Root() event: KeyEventMessage, @Ctx() _ctx: GraphQLContext): KeyEvent {
    return { type: event.type, keyId: event.keyId, requestId: event.requestId, status: event.status, actorId: event.actorId, at: event.at };
  }

  keyEventStream(ctx: GraphQLContext): AsyncIterableIterator<KeyEventMessage> {
    const principal = principalOf(ctx);
    requireScope(principal, Scope.keysRead);
    return this.pubsub.iterate<KeyEventMessage>(Topic.keyEvent(principal.orgId), (m) => m.orgId === principal.orgId);
  }
}
