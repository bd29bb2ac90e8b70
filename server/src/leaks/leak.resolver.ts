import { Arg, Authorized, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import { Scope } from '@latchkey/schema';
import type { GraphQLContext } from '../graphql/context';
import { metaOf, principalOf } from '../access/principal';
import { LeakReporter, LeakReporterSecretPayload, toLeakReporter } from './leak.type';
import type { LeakService } from './leak.service';

@Resolver()
export class LeakResolver {
  constructor(private readonly leakService: LeakService) {}

  @Authorized(Scope.organizationAdmin)
  @Mutation(() => LeakReporterSecretPayload, {
    description: 'Sets or rotates the leak reporter secret (the previous one stops working at once). platform: true = keys of every organization, platform administrators only',
  })
  async setLeakReporterSecret(@Arg('platform', () => Boolean, { nullable: true }) platform: boolean | null, @Ctx() ctx: GraphQLContext): Promise<LeakReporterSecretPayload> {
    const r = await this.leakService.setReporterSecret(principalOf(ctx), platform === true, metaOf(ctx));
    return { secret: r.secret, reporter: toLeakReporter(r.reporter) };
  }

  @Authorized(Scope.organizationRead)
  @Query(() => [LeakReporter], { description: "Your organization's leak reporter (and the platform's, for platform administrators)" })
  async leakReporters(@Ctx() ctx: GraphQLContext): Promise<LeakReporter[]> {
    return (await this.leakService.describeReporters(principalOf(ctx))).map(toLeakReporter);
  }
}
