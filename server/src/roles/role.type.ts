import { Field, ID, ObjectType } from 'type-graphql';
import { PageInfo } from '../access/pagination';
import type { RoleDoc } from './role.model';

@ObjectType({ description: 'A named set of scopes; editing it changes every holder at once' })
export class Role {
  @Field(() => ID)
  id!: string;

  @Field()
  name!: string;

  @Field()
  description!: string;

  @Field(() => [String])
  scopes!: string[];

  @Field(() => String, { nullable: true, description: 'owner, admin, approver, developer or viewer for built-in roles (not editable)' })
  builtin!: string | null;

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => Date)
  updatedAt!: Date;
}

@ObjectType()
export class RoleConnection {
  @Field(() => [Role])
  nodes!: Role[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;
}

export function toRole(r: RoleDoc): Role {
  return { id: r._id, name: r.name, description: r.description, scopes: r.scopes, builtin: r.builtin ?? null, createdAt: r.createdAt, updatedAt: r.updatedAt };
}
