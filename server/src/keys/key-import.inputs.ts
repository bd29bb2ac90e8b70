import { Field, InputType } from 'type-graphql';
import { CreateApiKeyInput } from './key.inputs';

/** GraphQL inputs of `importApiKeys` (docs/KEY-IMPORT.md). The service validates every field. */

@InputType({ description: 'One key to import: what createApiKey takes, plus an existing value and the id it had in the old system' })
export class ImportApiKeyInput extends CreateApiKeyInput {
  @Field(() => String, {
    nullable: true,
    description:
      'An existing key value from another system: 32–256 of A-Z a-z 0-9 _ - ., not guessable, not shaped like a Latchkey key. ' +
      'Left out, Latchkey generates the key and returns its secret once.',
  })
  secret?: string | null;

  @Field(() => String, { nullable: true, description: 'createApiKey’s name for secret; give one of them' })
  override customKey?: string | null;

  @Field(() => String, { nullable: true, description: 'The key’s id in the old system (1–200 characters): importing it again returns the same key' })
  externalId?: string | null;
}

@InputType()
export class ImportApiKeysInput {
  @Field(() => [ImportApiKeyInput], { description: '1–1000 keys' })
  keys!: ImportApiKeyInput[];
}
