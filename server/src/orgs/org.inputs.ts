import { Field, InputType } from 'type-graphql';

@InputType()
export class CreateOrganizationInput {
  @Field()
  name!: string;

  @Field(() => String, { nullable: true, description: 'Derived from the name when left out' })
  slug?: string | null;

  @Field(() => String, { nullable: true, description: 'API key prefix, default lk' })
  keyPrefix?: string | null;

  @Field()
  ownerEmail!: string;

  @Field(() => String, { nullable: true })
  ownerName?: string | null;

  @Field(() => String, { nullable: true, description: 'Generated (and returned once) when left out' })
  ownerPassword?: string | null;
}

@InputType({ description: 'The custom entries of the catalogue (the platform ones always stay)' })
export class UpdateOrganizationCatalogueInput {
  @Field(() => [String])
  resources!: string[];

  @Field(() => [String])
  actions!: string[];
}
