import type { Request, Response } from 'express';
import type { Logger } from '../infra/logger';
import type { Principal, RequestMeta } from '../access/principal';

/**
 * The resolver instances of one app, each built once with exactly the services it
 * uses (composition/resolver-container.ts). type-graphql asks it for the instance of a
 * resolver class on every call (`buildSchema({ container })`); it ignores the second,
 * per-call argument because the instances hold no request state.
 */
export interface ResolverContainer {
  get<T>(resolverClass: abstract new (...args: never[]) => T): T;
}

/**
 * What one GraphQL operation knows: request facts, the caller, a logger, the HTTP
 * request/response when there is one, and the container of its app. Services are not
 * here: resolvers receive theirs when the container builds them.
 */
export interface GraphQLContext extends RequestMeta {
  principal: Principal | null;
  logger: Logger;
  container: ResolverContainer;
  /** Present on HTTP requests (absent on websocket operations); used for cookies. */
  res?: Response;
  req?: Request;
}

/**
 * The resolver instance behind a `@Subscription({ subscribe })` function: type-graphql
 * calls those with the operation's context only, not with an instance.
 */
export function subscriptionResolver<T>(context: unknown, resolverClass: abstract new (...args: never[]) => T): { ctx: GraphQLContext; resolver: T } {
  const ctx = context as GraphQLContext;
  return { ctx, resolver: ctx.container.get(resolverClass) };
}
