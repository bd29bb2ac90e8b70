import { Field, InputType } from 'type-graphql';

@InputType()
export class CreateRoleInput {
  @Field({ description: 'Unique in the organization' })
  name!: string;

  @Field(() => String, { nullable: true })
  description?: string | null;

  @Field(() => [String], { description: 'resource:action[:resourceId] from the catalogue; you must hold them' })
  scopes!: string[];
}

@InputType()
export class UpdateRoleInput {
  @Field(() => String, { nullable: true })
  name?: string | null;

  @Field(() => String, { nullable: true })
  description?: string | null;

  @Field(() => [String], { nullable: true, description: 'Replaces the scopes; applies to every holder on their next request' })
  scopes?: string[] | null;
}
