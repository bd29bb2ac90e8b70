import { Field, ID, InputType } from 'type-graphql';

@InputType()
export class CreateApplicationInput {
  @Field({ description: 'Unique in the organization, 1–100 characters' })
  name!: string;

  @Field(() => String, { nullable: true })
  description?: string | null;

  @Field(() => ID, { nullable: true, description: 'Defaults to the caller' })
  ownerId?: string | null;

  @Field(() => [String], { nullable: true, description: 'Defaults to development, staging, production' })
  environments?: string[] | null;
}

@InputType()
export class UpdateApplicationInput {
  @Field(() => String, { nullable: true })
  name?: string | null;

  @Field(() => String, { nullable: true })
  description?: string | null;

  @Field(() => ID, { nullable: true })
  ownerId?: string | null;

  @Field(() => [String], { nullable: true })
  environments?: string[] | null;
}
