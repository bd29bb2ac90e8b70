import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Scope } from '@latchkey/schema';
import type { GraphQLContext } from '../graphql/context';
import { metaOf, principalOf } from '../access/principal';
import { PageArgs } from '../access/pagination';
import { toUser, User } from '../users/user.type';
import { CreateApplicationInput, UpdateApplicationInput } from './application.inputs';
import { Application, ApplicationConnection, toApplication } from './application.type';
import type { ApplicationService } from './application.service';
import type { UserService } from '../users/user.service';

@Resolver(() => Application)
export class ApplicationResolver {
  constructor(
    private readonly applicationService: ApplicationService,
    private readonly userService: UserService,
  ) {}

  @Authorized(Scope.applicationsRead)
  @Query(() => ApplicationConnection)
  async applications(
    @Args() page: PageArgs,
    @Arg('ownerId', () => ID, { nullable: true }) ownerId: string | null,
    @Ctx() ctx: GraphQLContext,
  ): Promise<ApplicationConnection> {
    const p = await this.applicationService.list(principalOf(ctx), page, { ownerId });
    return { nodes: p.nodes.map(toApplication), pageInfo: p.pageInfo };
  }

  @Authorized(Scope.applicationsRead)
  @Query(() => Application)
  async application(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphQLContext): Promise<Application> {
    return toApplication(await this.applicationService.get(principalOf(ctx), id));
  }

  @Authorized(Scope.applicationsWrite)
  @Mutation(() => Application)
  async createApplication(@Arg('input', () => CreateApplicationInput) input: CreateApplicationInput, @Ctx() ctx: GraphQLContext): Promise<Application> {
    return toApplication(await this.applicationService.create(principalOf(ctx), input, metaOf(ctx)));
  }

  @Authorized(Scope.applicationsWrite)
  @Mutation(() => Application)
  async updateApplication(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => UpdateApplicationInput) input: UpdateApplicationInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<Application> {
    return toApplication(await this.applicationService.update(principalOf(ctx), id, input, metaOf(ctx)));
  }

  @Authorized(Scope.usersRead)
  @FieldResolver(() => User, { nullable: true, description: 'Needs users:read' })
  async owner(@Root() app: Application, @Ctx() ctx: GraphQLContext): Promise<User | null> {
    const u = await this.userService.byId(principalOf(ctx).orgId, app.ownerId);
    return u ? toUser(u) : null;
  }
}
