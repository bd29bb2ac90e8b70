import { Field, ID, ObjectType } from 'type-graphql';
import { User } from '../users/user.type';

@ObjectType()
export class LoginPayload {
  @Field({ description: 'Session token (lks_…): send as Authorization: Bearer, or rely on the lk_session cookie' })
  token!: string;

  @Field(() => User)
  user!: User;

  @Field(() => Date)
  expiresAt!: Date;
}

@ObjectType({ description: 'Who is calling' })
export class Me {
  @Field(() => ID, { description: 'usr_… for a session, key_… for an API key' })
  id!: string;

  @Field({ description: 'user or key' })
  kind!: string;

  @Field(() => ID)
  orgId!: string;

  @Field(() => [String], { description: 'Effective scopes of this request' })
  scopes!: string[];

  @Field()
  isPlatformAdmin!: boolean;

  @Field(() => ID, { nullable: true })
  sessionId!: string | null;

  /** Not a field: the user field resolver reads it. */
  userId!: string | null;
}
