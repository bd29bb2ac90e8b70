import 'reflect-metadata';
import { buildSchema } from 'type-graphql';
import type { GraphQLSchema } from 'graphql';
import { authChecker } from './auth-checker';
import { resolvers } from './resolvers';

let cached: Promise<GraphQLSchema> | undefined;

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
  });
  return cached;
}
