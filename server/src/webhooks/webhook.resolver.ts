import { Arg, Authorized, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import { Scope } from '@latchkey/schema';
import type { GraphQLContext } from '../graphql/context';
import { AppError } from '../infra/app-error';
import { DeliveryStatus } from './webhook.model';
import { WebhookDelivery, WebhookDeliveryPage, WebhookEndpoint, WebhookEndpointWithSecret } from './webhook.type';
import { CreateWebhookEndpointInput, UpdateWebhookEndpointInput } from './webhook.inputs';
import type { WebhookActor, WebhookService } from './webhook.service';

/** The org and actor always come from the authenticated principal, never from arguments. */
function caller(ctx: GraphQLContext): { orgId: string; actor: WebhookActor } {
  const p = ctx.principal;
  if (!p) throw AppError.unauthenticated();
  return { orgId: p.orgId, actor: { type: p.kind, id: p.id, meta: { requestId: ctx.requestId, ip: ctx.ip, userAgent: ctx.userAgent } } };
}

@Resolver()
export class WebhookResolver {
  constructor(private readonly webhookService: WebhookService) {}

  @Authorized(Scope.webhooksRead)
  @Query(() => [WebhookEndpoint], { description: 'Webhook endpoints of your organization' })
  webhookEndpoints(@Ctx() ctx: GraphQLContext): Promise<WebhookEndpoint[]> {
    return this.webhookService.listEndpoints(caller(ctx).orgId);
  }

  @Authorized(Scope.webhooksRead)
  @Query(() => WebhookDeliveryPage, { description: 'Delivery log, newest first, each with every attempt' })
  webhookDeliveries(
    @Ctx() ctx: GraphQLContext,
    @Arg('endpointId', () => ID, { nullable: true }) endpointId?: string | null,
    @Arg('status', () => DeliveryStatus, { nullable: true }) status?: DeliveryStatus | null,
    @Arg('first', () => Int, { nullable: true, defaultValue: 20 }) first?: number,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
  ): Promise<WebhookDeliveryPage> {
    return this.webhookService.listDeliveries(caller(ctx).orgId, { endpointId, status, first, after });
  }

  @Authorized(Scope.webhooksWrite)
  @Mutation(() => WebhookEndpointWithSecret, { description: 'Register an endpoint; the signing secret is returned once' })
  createWebhookEndpoint(@Ctx() ctx: GraphQLContext, @Arg('input') input: CreateWebhookEndpointInput): Promise<WebhookEndpointWithSecret> {
    const { orgId, actor } = caller(ctx);
    return this.webhookService.createEndpoint(orgId, input, actor);
  }

  @Authorized(Scope.webhooksWrite)
  @Mutation(() => WebhookEndpoint)
  updateWebhookEndpoint(
    @Ctx() ctx: GraphQLContext,
    @Arg('id', () => ID) id: string,
    @Arg('input') input: UpdateWebhookEndpointInput,
  ): Promise<WebhookEndpoint> {
    const { orgId, actor } = caller(ctx);
    return this.webhookService.updateEndpoint(orgId, id, input, actor);
  }

  @Authorized(Scope.webhooksWrite)
  @Mutation(() => WebhookEndpoint, { description: 'Delete an endpoint; its queued deliveries are cancelled' })
  deleteWebhookEndpoint(@Ctx() ctx: GraphQLContext, @Arg('id', () => ID) id: string): Promise<WebhookEndpoint> {
    const { orgId, actor } = caller(ctx);
    return this.webhookService.deleteEndpoint(orgId, id, actor);
  }

  @Authorized(Scope.webhooksWrite)
  @Mutation(() => WebhookEndpointWithSecret, {
    description: 'New signing secret (returned once); the old one keeps signing alongside for `overlapSeconds` (default 24 h)',
  })
  rotateWebhookSecret(
    @Ctx() ctx: GraphQLContext,
    @Arg('id', () => ID) id: string,
    @Arg('overlapSeconds', () => Int, { nullable: true }) overlapSeconds?: number | null,
  ): Promise<WebhookEndpointWithSecret> {
    const { orgId, actor } = caller(ctx);
    return this.webhookService.rotateSecret(orgId, id, actor, overlapSeconds);
  }

  @Authorized(Scope.webhooksWrite)
  @Mutation(() => WebhookDelivery, { description: 'Send a webhook.test event to one endpoint' })
  sendTestWebhook(@Ctx() ctx: GraphQLContext, @Arg('id', () => ID) id: string): Promise<WebhookDelivery> {
    const { orgId, actor } = caller(ctx);
    return this.webhookService.sendTest(orgId, id, actor);
  }

  @Authorized(Scope.webhooksWrite)
  @Mutation(() => WebhookDelivery, { description: 'Deliver again as a new attempt series (same webhook-id and body)' })
  replayWebhookDelivery(@Ctx() ctx: GraphQLContext, @Arg('id', () => ID) id: string): Promise<WebhookDelivery> {
    const { orgId, actor } = caller(ctx);
    return this.webhookService.replayDelivery(orgId, id, actor);
  }
}
