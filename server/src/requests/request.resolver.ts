import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Scope } from '@latchkey/schema';
import type { GraphQLContext } from '../graphql/context';
import { metaOf, principalOf } from '../access/principal';
import { PageArgs } from '../access/pagination';
import { ApiKey, ApiKeySecretPayload, replayNotice, toApiKey } from '../keys/key.type';
import { RequestApiKeyInput } from '../keys/key.inputs';
import { KeyRequest, KeyRequestConnection, KeyRequestFilter, toKeyRequest } from './request.type';
import type { KeyService } from '../keys/key.service';

/** Key requests, approvals and the one-time claim; every rule is in the key service. */
@Resolver(() => KeyRequest)
export class KeyRequestResolver {
  constructor(private readonly keyService: KeyService) {}

  @Authorized(Scope.keysRead, Scope.keysRequest, Scope.keysApprove)
  @Query(() => KeyRequestConnection, { description: 'Newest first; without keys:read or keys:approve only your own' })
  async keyRequests(
    @Arg('filter', () => KeyRequestFilter, { nullable: true }) filter: KeyRequestFilter | null,
    @Args() page: PageArgs,
    @Ctx() ctx: GraphQLContext,
  ): Promise<KeyRequestConnection> {
    const p = await this.keyService.listKeyRequests(principalOf(ctx), filter ?? {}, page);
    return { nodes: p.nodes.map((r) => toKeyRequest(r)), pageInfo: p.pageInfo };
  }

  @Authorized(Scope.keysRead, Scope.keysRequest, Scope.keysApprove)
  @Query(() => KeyRequest)
  async keyRequest(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphQLContext): Promise<KeyRequest> {
    return toKeyRequest(await this.keyService.getKeyRequest(principalOf(ctx), id));
  }

  @Authorized(Scope.keysRequest, Scope.keysWrite)
  @Mutation(() => KeyRequest, { description: 'Ask for a key; approved at once when the policy needs no approval (then claim it)' })
  async requestApiKey(
    @Arg('input', () => RequestApiKeyInput) input: RequestApiKeyInput,
    @Arg('idempotencyKey', () => String, { nullable: true, description: 'Repeating it returns the first request' }) idempotencyKey: string | null,
    @Ctx() ctx: GraphQLContext,
  ): Promise<KeyRequest> {
    const r = await this.keyService.requestApiKey(principalOf(ctx), input, idempotencyKey, metaOf(ctx));
    return toKeyRequest(r.request);
  }

  @Authorized(Scope.keysApprove)
  @Mutation(() => KeyRequest, { description: 'Adds your approval; the last one needed issues the key for claiming' })
  async approveKeyRequest(
    @Arg('id', () => ID) id: string,
    @Arg('comment', () => String, { nullable: true }) comment: string | null,
    @Ctx() ctx: GraphQLContext,
  ): Promise<KeyRequest> {
    return toKeyRequest(await this.keyService.approveKeyRequest(principalOf(ctx), id, comment, metaOf(ctx)));
  }

  @Authorized(Scope.keysApprove)
  @Mutation(() => KeyRequest)
  async rejectKeyRequest(@Arg('id', () => ID) id: string, @Arg('reason', () => String) reason: string, @Ctx() ctx: GraphQLContext): Promise<KeyRequest> {
    return toKeyRequest(await this.keyService.rejectKeyRequest(principalOf(ctx), id, reason, metaOf(ctx)));
  }

  @Authorized()
  @Mutation(() => ApiKeySecretPayload, { description: 'The requester receives the secret, once, within the claim window' })
  async claimApiKey(@Arg('requestId', () => ID) requestId: string, @Ctx() ctx: GraphQLContext): Promise<ApiKeySecretPayload> {
    const r = await this.keyService.claimApiKey(principalOf(ctx), requestId, metaOf(ctx));
    return { apiKey: toApiKey(r.key), secret: r.secret, replayed: false, notice: replayNotice(false) };
  }

  @Authorized(Scope.keysApprove)
  @Mutation(() => KeyRequest, { description: 'A new claim window (and a new value for generated keys) after the old one expired' })
  async reissueKeyClaim(@Arg('requestId', () => ID) requestId: string, @Ctx() ctx: GraphQLContext): Promise<KeyRequest> {
    return toKeyRequest(await this.keyService.reissueKeyClaim(principalOf(ctx), requestId, metaOf(ctx)));
  }

  @FieldResolver(() => ApiKey, { nullable: true, description: 'The issued key, once approved' })
  async apiKey(@Root() r: KeyRequest, @Ctx() ctx: GraphQLContext): Promise<ApiKey | null> {
    if (!r.keyId) return null;
    return toApiKey(await this.keyService.getApiKey(principalOf(ctx), r.keyId));
  }
}
