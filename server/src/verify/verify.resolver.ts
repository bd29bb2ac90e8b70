import { Arg, Authorized, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import { Scope } from '@latchkey/schema';
import type { GraphQLContext } from '../graphql/context';
import type { Principal } from '../access/principal';
import { parseVerifyRequest } from './verify.inputs';
import { KeyVerification, RateLimitStatus, VerifyApiKeyInput } from './verify.type';
import type { VerifyService } from './verify.service';

@Resolver()
export class VerifyResolver {
  constructor(private readonly verifyService: VerifyService) {}

  @Authorized(Scope.keysVerify)
  @Mutation(() => KeyVerification, { description: 'Verify a key of your organization (the same pipeline as POST /v1/keys/verify)' })
  async verifyApiKey(@Arg('input', () => VerifyApiKeyInput) input: VerifyApiKeyInput, @Ctx() ctx: GraphQLContext): Promise<KeyVerification> {
    const req = parseVerifyRequest(stripNulls({ ...input }));
    const p = ctx.principal as Principal;
    const { policies: _p, retryAfterMs: _r, ...r } = await this.verifyService.verify(req, { callerOrgId: p.orgId });
    return { ...r, scopes: r.scopes ? [...r.scopes] : null };
  }

  @Authorized(Scope.keysRead)
  @Query(() => RateLimitStatus, { description: 'Every limit of a key: limit, remaining and reset per window, bucket, concurrency, bytes, adaptive factor' })
  async rateLimitStatus(@Arg('keyId') keyId: string, @Ctx() ctx: GraphQLContext): Promise<RateLimitStatus> {
    return this.verifyService.rateLimitStatus(ctx.principal as Principal, keyId);
  }
}

function stripNulls(o: Record<string, unknown>): Record<string, unknown> {
  for (const k of Object.keys(o)) if (o[k] === null || o[k] === undefined) delete o[k];
  return o;
}
