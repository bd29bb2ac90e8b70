import { Arg, Authorized, Ctx, ID, Query, Resolver } from 'type-graphql';
import type { GraphQLContext } from '../graphql/context';
import { principalOf } from './principal';
import { PermissionCheck } from './access.type';
import type { AccessService } from './access.service';

@Resolver()
export class AccessResolver {
  constructor(private readonly accessService: AccessService) {}

  @Authorized()
  @Query(() => PermissionCheck, {
    description: 'May the caller (or principalId: a user needs users:read, a key keys:read) do this? Give scope, or resource + action [+ resourceId]',
  })
  checkPermission(
    @Arg('scope', () => String, { nullable: true }) scope: string | null,
    @Arg('resource', () => String, { nullable: true }) resource: string | null,
    @Arg('action', () => String, { nullable: true }) action: string | null,
    @Arg('resourceId', () => String, { nullable: true }) resourceId: string | null,
    @Arg('principalId', () => ID, { nullable: true }) principalId: string | null,
    @Ctx() ctx: GraphQLContext,
  ): Promise<PermissionCheck> {
    return this.accessService.checkPermission(principalOf(ctx), { scope, resource, action, resourceId, principalId });
  }
}
