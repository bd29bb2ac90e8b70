import { Ctx, Query, Resolver } from 'type-graphql';
import type { GraphQLContext } from '../graphql/context';
import { ServerInfo } from './system.type';

@Resolver()
export class SystemResolver {
  @Query(() => ServerInfo, { description: 'Version and readiness of this API node; needs no credentials' })
  serverInfo(@Ctx() ctx: GraphQLContext): ServerInfo {
    return { version: ctx.services.version, time: new Date().toISOString(), ready: ctx.services.health.readiness().ready };
  }
}
