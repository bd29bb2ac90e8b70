import { Arg, Authorized, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Scope } from '@latchkey/schema';
import type { GraphQLContext } from '../graphql/context';
import { metaOf, principalOf } from '../access/principal';
import { toUser } from '../users/user.type';
import { catalogueOf, type OrgService } from './org.service';
import { CreateOrganizationInput, UpdateOrganizationCatalogueInput } from './org.inputs';
import { UpdateOrganizationPolicyInput } from './org-policy.inputs';
import { OrganizationPolicy } from './org-policy.type';
import { Catalogue, CreateOrganizationPayload, Organization, toOrganization } from './org.type';
import type { OrgPolicyService } from './org-policy.service';
import type { OrgProvisioning } from './org.provisioning';

@Resolver(() => Organization)
export class OrgResolver {
  constructor(
    private readonly orgService: OrgService,
    private readonly orgPolicyService: OrgPolicyService,
    private readonly orgProvisioning: OrgProvisioning,
  ) {}

  @Authorized()
  @Query(() => Organization, { description: 'Your organization' })
  async organization(@Ctx() ctx: GraphQLContext): Promise<Organization> {
    return toOrganization(await this.orgService.get(principalOf(ctx)));
  }

  @Authorized(Scope.organizationRead)
  @FieldResolver(() => OrganizationPolicy, { description: 'Needs organization:read' })
  policy(@Ctx() ctx: GraphQLContext): Promise<OrganizationPolicy> {
    // Always the caller's own organization, whatever object this hangs off.
    return this.orgPolicyService.getPolicy(principalOf(ctx).orgId);
  }

  @Authorized(Scope.organizationRead)
  @FieldResolver(() => Catalogue, { description: 'Needs organization:read' })
  catalogue(@Root() org: Organization): Catalogue {
    const c = catalogueOf(org);
    return { resources: [...c.resources], actions: [...c.actions], customResources: org.customResources, customActions: org.customActions };
  }

  @Authorized()
  @Mutation(() => CreateOrganizationPayload, { description: 'Platform administrators only' })
  async createOrganization(@Arg('input', () => CreateOrganizationInput) input: CreateOrganizationInput, @Ctx() ctx: GraphQLContext): Promise<CreateOrganizationPayload> {
    const r = await this.orgProvisioning.createOrganization(principalOf(ctx), input, metaOf(ctx));
    return { organization: toOrganization(r.organization), owner: toUser(r.owner), ownerInitialPassword: r.ownerInitialPassword };
  }

  @Authorized(Scope.organizationAdmin)
  @Mutation(() => OrganizationPolicy)
  updateOrganizationPolicy(@Arg('input', () => UpdateOrganizationPolicyInput) input: UpdateOrganizationPolicyInput, @Ctx() ctx: GraphQLContext): Promise<OrganizationPolicy> {
    return this.orgPolicyService.update(principalOf(ctx), input, metaOf(ctx));
  }

  @Authorized(Scope.organizationAdmin)
  @Mutation(() => Organization, { description: 'Sets the custom resources and actions scopes may name' })
  async updateOrganizationCatalogue(
    @Arg('input', () => UpdateOrganizationCatalogueInput) input: UpdateOrganizationCatalogueInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<Organization> {
    return toOrganization(await this.orgService.updateCatalogue(principalOf(ctx), input, metaOf(ctx)));
  }
}
