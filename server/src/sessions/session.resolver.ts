import { Arg, Authorized, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { GraphQLContext } from '../graphql/context';
import { principalOf } from '../access/principal';
import { toUser, User } from '../users/user.type';
import { Organization, toOrganization } from '../orgs/org.type';
import { LoginPayload, Me } from './session.type';
import type { LoginResult, SessionService } from './session.service';
import type { UserService } from '../users/user.service';
import type { OrgService } from '../orgs/org.service';

function toPayload(r: LoginResult): LoginPayload {
  return { token: r.token, user: toUser(r.user), expiresAt: r.expiresAt };
}

@Resolver(() => Me)
export class SessionResolver {
  constructor(
    private readonly sessionService: SessionService,
    private readonly userService: UserService,
    private readonly orgService: OrgService,
  ) {}

  @Mutation(() => LoginPayload, { description: 'Signs in; also sets the httpOnly lk_session cookie' })
  async login(@Arg('email') email: string, @Arg('password') password: string, @Ctx() ctx: GraphQLContext): Promise<LoginPayload> {
    return toPayload(await this.sessionService.login(email, password, ctx, ctx.res));
  }

  @Authorized()
  @Mutation(() => Boolean, { description: 'Ends this session and clears the cookie' })
  logout(@Ctx() ctx: GraphQLContext): Promise<boolean> {
    return this.sessionService.logout(principalOf(ctx), ctx, ctx.res);
  }

  @Authorized()
  @Mutation(() => LoginPayload, { description: 'Ends every session of yours and returns a fresh one' })
  async changePassword(
    @Arg('currentPassword') currentPassword: string,
    @Arg('newPassword') newPassword: string,
    @Ctx() ctx: GraphQLContext,
  ): Promise<LoginPayload> {
    return toPayload(await this.sessionService.changePassword(principalOf(ctx), { currentPassword, newPassword }, ctx, ctx.res));
  }

  @Authorized()
  @Query(() => Me)
  me(@Ctx() ctx: GraphQLContext): Me {
    const p = principalOf(ctx);
    return { id: p.id, kind: p.kind, orgId: p.orgId, scopes: [...p.scopes], isPlatformAdmin: p.isPlatformAdmin, sessionId: p.sessionId ?? null, userId: p.userId ?? null };
  }

  @FieldResolver(() => User, { nullable: true, description: 'The signed-in user, or the owner of the API key' })
  async user(@Root() me: Me): Promise<User | null> {
    const u = me.userId ? await this.userService.byId(me.orgId, me.userId) : null;
    return u ? toUser(u) : null;
  }

  @FieldResolver(() => Organization)
  async organization(@Root() _me: Me, @Ctx() ctx: GraphQLContext): Promise<Organization> {
    return toOrganization(await this.orgService.get(principalOf(ctx)));
  }
}
