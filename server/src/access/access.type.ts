import { Field, ID, ObjectType } from 'type-graphql';

@ObjectType({ description: 'The policy decision and its explanation' })
export class PermissionCheck {
  @Field()
  allowed!: boolean;

  @Field(() => String, { nullable: true, description: 'The granted scope that decided (most specific)' })
  matchedScope!: string | null;

  @Field(() => String, { nullable: true, description: 'The scope that would be needed' })
  missingScope!: string | null;

  @Field()
  reason!: string;

  @Field({ description: 'What was checked, as a scope' })
  requirement!: string;

  @Field(() => ID, { description: 'Whose scopes were checked' })
  principalId!: string;
}
