import { Arg, Args, Authorized, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { Scope } from '@latchkey/schema';
import type { GraphQLContext } from '../graphql/context';
import { metaOf, principalOf } from '../access/principal';
import { PageArgs } from '../access/pagination';
import { CreateRoleInput, UpdateRoleInput } from './role.inputs';
import { Role, RoleConnection, toRole } from './role.type';
import type { RoleService } from './role.service';

@Resolver(() => Role)
export class RoleResolver {
  constructor(private readonly roleService: RoleService) {}

  @Authorized(Scope.rolesRead)
  @Query(() => RoleConnection, { description: 'Built-in and custom roles of your organization' })
  async roles(@Args() page: PageArgs, @Ctx() ctx: GraphQLContext): Promise<RoleConnection> {
    const p = await this.roleService.list(principalOf(ctx), page);
    return { nodes: p.nodes.map(toRole), pageInfo: p.pageInfo };
  }

  @Authorized(Scope.rolesRead)
  @Query(() => Role)
  async role(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphQLContext): Promise<Role> {
    return toRole(await this.roleService.get(principalOf(ctx), id));
  }

  @Authorized(Scope.rolesWrite)
  @Mutation(() => Role)
  async createRole(@Arg('input', () => CreateRoleInput) input: CreateRoleInput, @Ctx() ctx: GraphQLContext): Promise<Role> {
    return toRole(await this.roleService.create(principalOf(ctx), input, metaOf(ctx)));
  }

  @Authorized(Scope.rolesWrite)
  @Mutation(() => Role, { description: 'Applies to every holder on their next request' })
  async updateRole(@Arg('id', () => ID) id: string, @Arg('input', () => UpdateRoleInput) input: UpdateRoleInput, @Ctx() ctx: GraphQLContext): Promise<Role> {
    return toRole(await this.roleService.update(principalOf(ctx), id, input, metaOf(ctx)));
  }

  @Authorized(Scope.rolesWrite)
  @Mutation(() => ID, { description: 'Refused while anyone still holds the role; returns the deleted id' })
  async deleteRole(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphQLContext): Promise<string> {
    return (await this.roleService.delete(principalOf(ctx), id, metaOf(ctx)))._id;
  }
}
