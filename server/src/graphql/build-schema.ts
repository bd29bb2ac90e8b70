import 'reflect-metadata';
import { buildSchema } from 'type-graphql';
import type { GraphQLSchema } from 'graphql';
import { authChecker } from './auth-checker';
import { resolvers } from './resolvers';

let cached: Promise<GraphQLSchema> | undefined;

/**
 * Every subscription uses `@Subscription({ subscribe })` over `services.pubsub.iterate`,
 * so the organization comes from the connection's principal and never from a topic
 * argument. type-graphql still wants a PubSub; this one refuses topic-based use.
 */
const topicPubSubRefused = {
  publish(): void {
    throw new Error('publish through services.pubsub');
  },
  subscribe(): never {
    throw new Error('topic subscriptions are not used: give @Subscription a subscribe function');
  },
};

/**
 * Builds the schema once per process; the resolvers take their dependencies from
 * the context, so one schema serves every app instance (tests run several).
 */
export function getSchema(): Promise<GraphQLSchema> {
  cached ??= buildSchema({
    resolvers,
    authChecker,
    authMode: 'error',
    validate: { forbidUnknownValues: false },
    emitSchemaFile: false,
    pubSub: topicPubSubRefused,
  });
  return cached;
}
