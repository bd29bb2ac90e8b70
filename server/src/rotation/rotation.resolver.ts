import { Arg, Authorized, Ctx, ID, Mutation, Resolver } from 'type-graphql';
import { Scope } from '@latchkey/schema';
import type { GraphQLContext } from '../graphql/context';
import { principalOf } from '../access/principal';
import { RevealedApiKey, toApiKey } from '../keys/key.type';
import type { RotationService } from './rotation.service';

/** Scheduled rotation: the owner's one-time claim of the successor's secret. */
@Resolver()
export class RotationResolver {
  constructor(private readonly rotationService: RotationService) {}

  @Authorized(Scope.keysWrite, Scope.keysRequest)
  @Mutation(() => RevealedApiKey, {
    description: 'The secret of a key issued by a scheduled rotation, once, for its owner (ownerless keys: keys:write holders)',
  })
  async claimRotatedKey(@Arg('keyId', () => ID) keyId: string, @Ctx() ctx: GraphQLContext): Promise<RevealedApiKey> {
    const r = await this.rotationService.claimRotatedKey(principalOf(ctx), keyId);
    return { apiKey: toApiKey(r.key), secret: r.secret };
  }
}
