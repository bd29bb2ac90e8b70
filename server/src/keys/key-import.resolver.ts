import { Arg, Authorized, Ctx, Mutation, Resolver } from 'type-graphql';
import { Scope } from '@latchkey/schema';
import type { GraphQLContext } from '../graphql/context';
import { metaOf, principalOf } from '../access/principal';
import { ImportApiKeysInput } from './key-import.inputs';
import { ImportApiKeysPayload, toImportPayload } from './key-import.type';
import type { KeyImporter } from './key-import';

/** Bulk import of API keys; every rule is in the importer (docs/KEY-IMPORT.md). */
@Resolver()
export class KeyImportResolver {
  constructor(private readonly importer: KeyImporter) {}

  @Authorized(Scope.keysWrite)
  @Mutation(() => ImportApiKeysPayload, {
    description: 'Up to 1,000 keys per call, generated or with existing values; one result per item, idempotent per item (externalId, value) and per call',
  })
  async importApiKeys(
    @Arg('input', () => ImportApiKeysInput) input: ImportApiKeysInput,
    @Arg('idempotencyKey', () => String, { nullable: true, description: 'Repeating it returns the first results, without generated secrets' }) idempotencyKey: string | null,
    @Ctx() ctx: GraphQLContext,
  ): Promise<ImportApiKeysPayload> {
    return toImportPayload(await this.importer.importKeys(principalOf(ctx), input, idempotencyKey, metaOf(ctx)));
  }
}
