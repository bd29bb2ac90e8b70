import { Field, ID, InputType } from 'type-graphql';

@InputType()
export class CreateUserInput {
  @Field({ description: 'Unique across the platform; used to sign in' })
  email!: string;

  @Field(() => String, { nullable: true })
  name?: string | null;

  @Field({ description: 'At least 12 characters, not common or guessable (docs/ACCESS.md)' })
  password!: string;

  @Field(() => [ID], { nullable: true, description: 'Roles to hold; you must hold every scope they grant' })
  roleIds?: string[] | null;

  @Field(() => [String], { nullable: true, description: 'Direct scopes; you must hold them' })
  scopes?: string[] | null;
}

@InputType()
export class UpdateUserInput {
  @Field(() => String, { nullable: true })
  name?: string | null;

  @Field(() => [ID], { nullable: true, description: 'Replaces the roles held' })
  roleIds?: string[] | null;

  @Field(() => [String], { nullable: true, description: 'Replaces the direct scopes' })
  scopes?: string[] | null;

  @Field(() => Boolean, { nullable: true, description: 'true ends every session of the user at once' })
  disabled?: boolean | null;
}
