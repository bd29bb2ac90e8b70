import { Arg, Args, Authorized, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { Scope } from '@latchkey/schema';
import type { GraphQLContext } from '../graphql/context';
import { actorOf, metaOf, principalOf } from '../access/principal';
import { alertView } from './alert-views';
import { Alert, AlertConnection, AlertsArgs } from './alert.type';
import type { AlertService } from './alert.service';

@Resolver()
export class AlertResolver {
  constructor(private readonly alertService: AlertService) {}

  @Authorized(Scope.alertsRead)
  @Query(() => AlertConnection, { description: 'Security alerts of your organization, newest first' })
  async alerts(@Args() args: AlertsArgs, @Ctx() ctx: GraphQLContext): Promise<AlertConnection> {
    const page = await this.alertService.list(principalOf(ctx).orgId, args.filter ?? {}, { first: args.first, after: args.after });
    return { nodes: page.nodes.map(alertView), pageInfo: page.pageInfo };
  }

  @Authorized(Scope.alertsRead)
  @Query(() => Alert, { description: 'One alert of your organization' })
  async alert(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphQLContext): Promise<Alert> {
    return alertView(await this.alertService.get(principalOf(ctx).orgId, id));
  }

  @Authorized(Scope.alertsWrite)
  @Mutation(() => Alert, { description: 'Someone is looking at it: stops it from looking new; occurrences still count' })
  async acknowledgeAlert(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphQLContext): Promise<Alert> {
    const p = principalOf(ctx);
    return alertView(await this.alertService.acknowledge(p.orgId, id, actorOf(p), metaOf(ctx)));
  }

  @Authorized(Scope.alertsWrite)
  @Mutation(() => Alert, { description: 'Closes the alert; the same problem later opens a new one' })
  async resolveAlert(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphQLContext): Promise<Alert> {
    const p = principalOf(ctx);
    return alertView(await this.alertService.resolve(p.orgId, id, actorOf(p), metaOf(ctx)));
  }
}
