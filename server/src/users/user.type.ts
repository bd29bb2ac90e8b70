import { Field, ID, ObjectType } from 'type-graphql';
import { PageInfo } from '../access/pagination';
import type { UserDoc } from './user.model';

@ObjectType({ description: 'A person in an organization' })
export class User {
  @Field(() => ID)
  id!: string;

  @Field()
  email!: string;

  @Field()
  name!: string;

  @Field({ description: 'active or disabled' })
  status!: string;

  @Field(() => [ID], { description: 'Roles held (see `roles` for their names and scopes)' })
  roleIds!: string[];

  @Field(() => [String], { description: 'Scopes granted directly, on top of the roles' })
  scopes!: string[];

  @Field({ description: 'May create organizations' })
  isPlatformAdmin!: boolean;

  @Field(() => Date, { nullable: true })
  lastLoginAt!: Date | null;

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => Date)
  updatedAt!: Date;

  /** Not a field: field resolvers use it to stay inside the organization. */
  orgId!: string;
}

@ObjectType()
export class UserConnection {
  @Field(() => [User])
  nodes!: User[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;
}

export function toUser(u: UserDoc): User {
  return {
    id: u._id,
    orgId: u.orgId,
    email: u.email,
    name: u.name,
    status: u.status,
    roleIds: u.roleIds,
    scopes: u.scopes,
    isPlatformAdmin: u.isPlatformAdmin,
    lastLoginAt: u.lastLoginAt ?? null,
    createdAt: u.createdAt,
    updatedAt: u.updatedAt,
  };
}
