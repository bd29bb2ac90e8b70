import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Scope } from '@latchkey/schema';
import type { GraphQLContext } from '../graphql/context';
import { metaOf, principalOf } from '../access/principal';
import { PageArgs } from '../access/pagination';
import { Role, toRole } from '../roles/role.type';
import { CreateUserInput, UpdateUserInput } from './user.inputs';
import { toUser, User, UserConnection } from './user.type';
import type { UserService } from './user.service';
import type { RoleService } from '../roles/role.service';

@Resolver(() => User)
export class UserResolver {
  constructor(
    private readonly userService: UserService,
    private readonly roleService: RoleService,
  ) {}

  @Authorized(Scope.usersRead)
  @Query(() => UserConnection, { description: 'People of your organization' })
  async users(@Args() page: PageArgs, @Ctx() ctx: GraphQLContext): Promise<UserConnection> {
    const p = await this.userService.list(principalOf(ctx), page);
    return { nodes: p.nodes.map(toUser), pageInfo: p.pageInfo };
  }

  @Authorized(Scope.usersRead)
  @Query(() => User)
  async user(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphQLContext): Promise<User> {
    return toUser(await this.userService.get(principalOf(ctx), id));
  }

  @Authorized(Scope.usersWrite)
  @Mutation(() => User)
  async createUser(@Arg('input', () => CreateUserInput) input: CreateUserInput, @Ctx() ctx: GraphQLContext): Promise<User> {
    return toUser(await this.userService.create(principalOf(ctx), input, metaOf(ctx)));
  }

  @Authorized(Scope.usersWrite)
  @Mutation(() => User, { description: 'Change name, roles, direct scopes; disabled: true ends access at once' })
  async updateUser(@Arg('id', () => ID) id: string, @Arg('input', () => UpdateUserInput) input: UpdateUserInput, @Ctx() ctx: GraphQLContext): Promise<User> {
    return toUser(await this.userService.update(principalOf(ctx), id, input, metaOf(ctx)));
  }

  @Authorized(Scope.usersWrite)
  @Mutation(() => User, { description: 'Disables a user and ends their sessions at once' })
  async disableUser(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphQLContext): Promise<User> {
    return toUser(await this.userService.disable(principalOf(ctx), id, metaOf(ctx)));
  }

  @FieldResolver(() => [Role], { description: 'The roles held' })
  async roles(@Root() user: User): Promise<Role[]> {
    return (await this.roleService.byIds(user.orgId, user.roleIds)).map(toRole);
  }

  @FieldResolver(() => [String], { description: 'Roles expanded plus direct scopes, as of now' })
  effectiveScopes(@Root() user: User): Promise<string[]> {
    return this.userService.effectiveScopes(user);
  }
}
