import { Field, ID, ObjectType } from 'type-graphql';
import { User } from '../users/user.type';
import type { OrgDoc } from './org.model';

@ObjectType({ description: 'Resources and actions scopes may name in this organization' })
export class Catalogue {
  @Field(() => [String], { description: 'Platform resources plus the custom ones' })
  resources!: string[];

  @Field(() => [String])
  actions!: string[];

  @Field(() => [String], { description: 'Added by this organization' })
  customResources!: string[];

  @Field(() => [String])
  customActions!: string[];
}

@ObjectType({ description: 'A tenant: every key, user, role and application belongs to one' })
export class Organization {
  @Field(() => ID)
  id!: string;

  @Field()
  name!: string;

  @Field()
  slug!: string;

  @Field({ description: 'Prefix of this organization\'s API keys' })
  keyPrefix!: string;

  @Field(() => Date)
  createdAt!: Date;

  /** Not fields: the catalogue resolver reads them. */
  customResources!: string[];
  customActions!: string[];
}

@ObjectType()
export class CreateOrganizationPayload {
  @Field(() => Organization)
  organization!: Organization;

  @Field(() => User)
  owner!: User;

  @Field(() => String, { nullable: true, description: 'The generated owner password when none was given; shown once' })
  ownerInitialPassword!: string | null;
}

export function toOrganization(o: OrgDoc): Organization {
  return { id: o._id, name: o.name, slug: o.slug, keyPrefix: o.keyPrefix, createdAt: o.createdAt, customResources: o.customResources ?? [], customActions: o.customActions ?? [] };
}
