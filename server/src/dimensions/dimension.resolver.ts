import { Arg, Authorized, Ctx, Field, InputType, Mutation, ObjectType, Query, Resolver } from 'type-graphql';
import { Scope } from '@latchkey/schema';
import type { GraphQLContext } from '../graphql/context';
import { metaOf, principalOf } from '../access/principal';
import type { DimensionService } from './dimension.service';

@ObjectType({ description: 'A resource a key can be limited on and charged in (CPU ms, DB queries, …)' })
export class MeteredDimension {
  @Field() name!: string;
  @Field() unit!: string;
  @Field() description!: string;
  @Field({ description: 'Built into every organization' }) builtin!: boolean;
}

@InputType()
export class CreateMeteredDimensionInput {
  @Field({ description: 'lowercase letters, digits and _' }) name!: string;
  @Field({ description: 'What one unit is, e.g. "image renders"' }) unit!: string;
  @Field(() => String, { nullable: true }) description?: string;
}

@Resolver()
export class DimensionResolver {
  constructor(private readonly dimensionService: DimensionService) {}

  @Authorized(Scope.keysRead)
  @Query(() => [MeteredDimension], { description: 'Built-in and organization-defined metered dimensions' })
  meteredDimensions(@Ctx() ctx: GraphQLContext): Promise<MeteredDimension[]> {
    return this.dimensionService.list(principalOf(ctx).orgId);
  }

  @Authorized(Scope.organizationAdmin)
  @Mutation(() => MeteredDimension)
  createMeteredDimension(@Arg('input', () => CreateMeteredDimensionInput) input: CreateMeteredDimensionInput, @Ctx() ctx: GraphQLContext): Promise<MeteredDimension> {
    return this.dimensionService.create(principalOf(ctx), { ...input }, metaOf(ctx));
  }

  @Authorized(Scope.organizationAdmin)
  @Mutation(() => MeteredDimension, { description: 'Refused while a live key still limits it' })
  deleteMeteredDimension(@Arg('name') name: string, @Ctx() ctx: GraphQLContext): Promise<MeteredDimension> {
    return this.dimensionService.delete(principalOf(ctx), name, metaOf(ctx));
  }
}
