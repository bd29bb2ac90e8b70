import 'reflect-metadata';
import { buildSchema } from 'type-graphql';
import type { GraphQLSchema } from 'graphql';
import { authChecker } from './auth-checker';
import { resolvers } from './resolvers';
import type { GraphQLContext } from './context';

let cached: Promise<GraphQLSchema> | undefined;

/**
 * Every subscription uses `@Subscription({ subscribe })` over its resolver's pub/sub
 * (`RedisPubSub.iterate`), so the organization comes from the connection's principal
 * and never from a topic argument. type-graphql still wants a PubSub; this one refuses
 * topic-based use.
 */
const topicPubSubRefused = {
  publish(): void {
    throw new Error('publish through RedisPubSub (infra/pubsub.ts)');
  },
  subscribe(): never {
    throw new Error('topic subscriptions are not used: give @Subscription a subscribe function');
  },
};

/**
 * Builds the schema once per process. Resolver instances come from the operation's
 * context (`context.container`: one per app instance, built by the composition root),
 * so one schema serves every app instance (tests run several in one process).
 */
export function getSchema(): Promise<GraphQLSchema> {
  cached ??= buildSchema({
    resolvers,
    authChecker,
    authMode: 'error',
    validate: { forbidUnknownValues: false },
    emitSchemaFile: false,
    pubSub: topicPubSubRefused,
    container: ({ context }) => (context as GraphQLContext).container,
  });
  return cached;
}
