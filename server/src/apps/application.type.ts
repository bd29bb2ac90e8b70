import { Field, ID, ObjectType } from 'type-graphql';
import { PageInfo } from '../access/pagination';
import type { ApplicationDoc } from './application.model';

@ObjectType({ description: 'An application the organization issues keys for' })
export class Application {
  @Field(() => ID)
  id!: string;

  @Field()
  name!: string;

  @Field()
  description!: string;

  @Field(() => ID, { description: 'The responsible user (see `owner`)' })
  ownerId!: string;

  @Field(() => [String], { description: 'development, staging, production' })
  environments!: string[];

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => Date)
  updatedAt!: Date;
}

@ObjectType()
export class ApplicationConnection {
  @Field(() => [Application])
  nodes!: Application[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;
}

export function toApplication(a: ApplicationDoc): Application {
  return { id: a._id, name: a.name, description: a.description, ownerId: a.ownerId, environments: a.environments, createdAt: a.createdAt, updatedAt: a.updatedAt };
}
