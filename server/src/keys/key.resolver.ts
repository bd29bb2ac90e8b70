import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Scope } from '@latchkey/schema';
import type { GraphQLContext } from '../graphql/context';
import { metaOf, principalOf } from '../access/principal';
import { PageArgs } from '../access/pagination';
import { AuditEventConnection } from '../audit/audit.type';
import { Role, toRole } from '../roles/role.type';
import { ApiKey, ApiKeyConnection, ApiKeySecretPayload, RevealedApiKey, RotateApiKeyPayload, replayNotice, toApiKey } from './key.type';
import { ApiKeyFilter, ApiKeySort, CreateApiKeyInput, UpdateApiKeyInput } from './key.inputs';
import type { KeyService } from './key.service';
import type { RoleService } from '../roles/role.service';

/** API keys: reads and direct changes. Every rule is in the key service (docs/KEYS.md). */
@Resolver(() => ApiKey)
export class ApiKeyResolver {
  constructor(
    private readonly keyService: KeyService,
    private readonly roleService: RoleService,
  ) {}

  @Authorized(Scope.keysRead)
  @Query(() => ApiKeyConnection)
  async apiKeys(
    @Arg('filter', () => ApiKeyFilter, { nullable: true }) filter: ApiKeyFilter | null,
    @Arg('sort', () => ApiKeySort, { nullable: true }) sort: ApiKeySort | null,
    @Args() page: PageArgs,
    @Ctx() ctx: GraphQLContext,
  ): Promise<ApiKeyConnection> {
    const p = await this.keyService.listApiKeys(principalOf(ctx), filter ?? {}, sort ?? {}, page);
    return {
      nodes: p.nodes.map(toApiKey),
      pageInfo: p.pageInfo,
      // A getter: type-graphql reads the field only when it is selected.
      get totalCount() {
        return p.totalCount();
      },
    };
  }

  @Authorized(Scope.keysRead)
  @Query(() => ApiKey)
  async apiKey(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphQLContext): Promise<ApiKey> {
    return toApiKey(await this.keyService.getApiKey(principalOf(ctx), id));
  }

  @Authorized(Scope.keysWrite)
  @Mutation(() => ApiKeySecretPayload, { description: 'Issues a key at once where the policy needs no approval; the secret is in this answer only' })
  async createApiKey(
    @Arg('input', () => CreateApiKeyInput) input: CreateApiKeyInput,
    @Arg('idempotencyKey', () => String, { nullable: true, description: 'Repeating it returns the first key, without its secret' }) idempotencyKey: string | null,
    @Ctx() ctx: GraphQLContext,
  ): Promise<ApiKeySecretPayload> {
    const r = await this.keyService.createApiKey(principalOf(ctx), input, idempotencyKey, metaOf(ctx));
    return { apiKey: toApiKey(r.key), secret: r.secret, replayed: r.replayed, notice: replayNotice(r.replayed) };
  }

  @Authorized(Scope.keysWrite, Scope.keysRequest)
  @Mutation(() => ApiKey, { description: 'keys:write, or keys:request for the owner of a user key' })
  async updateApiKey(@Arg('id', () => ID) id: string, @Arg('input', () => UpdateApiKeyInput) input: UpdateApiKeyInput, @Ctx() ctx: GraphQLContext): Promise<ApiKey> {
    return toApiKey(await this.keyService.updateApiKey(principalOf(ctx), id, input, metaOf(ctx)));
  }

  @Authorized(Scope.keysWrite, Scope.keysRequest)
  @Mutation(() => ApiKey, { description: 'A new expiry within the maximum lifetime from now; renews expired keys' })
  async renewApiKey(@Arg('id', () => ID) id: string, @Arg('expiresAt', () => Date) expiresAt: Date, @Ctx() ctx: GraphQLContext): Promise<ApiKey> {
    return toApiKey(await this.keyService.renewApiKey(principalOf(ctx), id, expiresAt, metaOf(ctx)));
  }

  @Authorized(Scope.keysWrite, Scope.keysRequest)
  @Mutation(() => RotateApiKeyPayload, { description: 'A successor with the same configuration; the old key keeps working for gracePeriodSeconds' })
  async rotateApiKey(
    @Arg('id', () => ID) id: string,
    @Arg('gracePeriodSeconds', () => Int, {
      nullable: true,
      description: 'Default: the key’s rotation policy, else the organization’s; 0 revokes the old key at once',
    })
    gracePeriodSeconds: number | null,
    @Arg('idempotencyKey', () => String, { nullable: true }) idempotencyKey: string | null,
    @Ctx() ctx: GraphQLContext,
  ): Promise<RotateApiKeyPayload> {
    const r = await this.keyService.rotateApiKey(principalOf(ctx), id, gracePeriodSeconds, idempotencyKey, metaOf(ctx));
    return { apiKey: toApiKey(r.key), secret: r.secret, previous: toApiKey(r.previous), replayed: r.replayed, notice: replayNotice(r.replayed) };
  }

  @Authorized(Scope.keysWrite, Scope.keysRequest)
  @Mutation(() => ApiKey, { description: 'Immediate, on every node within a second' })
  async revokeApiKey(@Arg('id', () => ID) id: string, @Arg('reason', () => String, { nullable: true }) reason: string | null, @Ctx() ctx: GraphQLContext): Promise<ApiKey> {
    return toApiKey(await this.keyService.revokeApiKey(principalOf(ctx), id, reason, metaOf(ctx)));
  }

  @Authorized(Scope.keysWrite, Scope.keysRequest)
  @Mutation(() => ApiKey)
  async suspendApiKey(@Arg('id', () => ID) id: string, @Arg('reason', () => String, { nullable: true }) reason: string | null, @Ctx() ctx: GraphQLContext): Promise<ApiKey> {
    return toApiKey(await this.keyService.suspendApiKey(principalOf(ctx), id, reason, metaOf(ctx)));
  }

  @Authorized(Scope.keysWrite)
  @Mutation(() => ApiKey)
  async reactivateApiKey(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphQLContext): Promise<ApiKey> {
    return toApiKey(await this.keyService.reactivateApiKey(principalOf(ctx), id, metaOf(ctx)));
  }

  @Authorized(Scope.keysReveal)
  @Mutation(() => RevealedApiKey, { description: 'Reads back a recoverable key (audited)' })
  async revealApiKey(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphQLContext): Promise<RevealedApiKey> {
    const r = await this.keyService.revealApiKey(principalOf(ctx), id, metaOf(ctx));
    return { apiKey: toApiKey(r.key), secret: r.secret };
  }

  @FieldResolver(() => AuditEventConnection, { description: 'Audit events of this key, newest first' })
  history(@Root() key: ApiKey, @Args() page: PageArgs, @Ctx() ctx: GraphQLContext): Promise<AuditEventConnection> {
    return this.keyService.keyHistory(principalOf(ctx).orgId, key.id, page);
  }

  @FieldResolver(() => [ApiKey], { description: 'Predecessors and successors by rotation, oldest first (this key included)' })
  async rotationChain(@Root() key: ApiKey, @Ctx() ctx: GraphQLContext): Promise<ApiKey[]> {
    return (await this.keyService.rotationChain(principalOf(ctx).orgId, key.id)).map(toApiKey);
  }

  @FieldResolver(() => [Role], { description: 'The roles the key holds' })
  async roles(@Root() key: ApiKey, @Ctx() ctx: GraphQLContext): Promise<Role[]> {
    return (await this.roleService.byIds(principalOf(ctx).orgId, key.roleIds)).map(toRole);
  }

  @FieldResolver(() => [String], { description: 'Direct scopes plus the scopes of its roles, as verification sees them' })
  effectiveScopes(@Root() key: ApiKey, @Ctx() ctx: GraphQLContext): Promise<string[]> {
    return this.roleService.expandScopes(principalOf(ctx).orgId, key.roleIds, key.scopes);
  }
}
