import { Arg, Authorized, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { Scope } from '@latchkey/schema';
import type { GraphQLContext } from '../graphql/context';
import { metaOf, principalOf } from '../access/principal';
import type { PersonalDataExport } from './personal-data';
import { PersonalDataExportPayload, UserErasurePayload } from './privacy.type';
import type { PrivacyService } from './privacy.service';

/** `users:admin` is the seed catalogue's scope for managing people's data; organization admins hold it implicitly. */
const USERS_ADMIN = 'users:admin';
const ERASE_USER_DATA_DESCRIPTION =
  "Erases a user's personal data: disables them, revokes their user keys, deletes sessions and notifications, " +
  'tombstones audit payloads about them (the chain still verifies)';

function toPayload(userId: string, e: PersonalDataExport): PersonalDataExportPayload {
  return { userId, generatedAt: new Date(e.generatedAt), json: JSON.stringify(e) };
}

@Resolver()
export class PrivacyResolver {
  constructor(private readonly privacyService: PrivacyService) {}

  @Authorized()
  @Query(() => PersonalDataExportPayload, { description: 'Your own personal data, as JSON (sessions only; audited)' })
  async exportMyData(@Ctx() ctx: GraphQLContext): Promise<PersonalDataExportPayload> {
    const p = principalOf(ctx);
    return toPayload(p.id, await this.privacyService.exportMine(p, metaOf(ctx)));
  }

  @Authorized(USERS_ADMIN, Scope.organizationAdmin)
  @Query(() => PersonalDataExportPayload, { description: "A user's personal data, as JSON (users:admin or organization:admin; audited)" })
  async exportUserData(@Arg('userId', () => ID) userId: string, @Ctx() ctx: GraphQLContext): Promise<PersonalDataExportPayload> {
    return toPayload(userId, await this.privacyService.exportUser(principalOf(ctx), userId, metaOf(ctx)));
  }

  @Authorized(USERS_ADMIN, Scope.organizationAdmin)
  @Mutation(() => UserErasurePayload, { description: ERASE_USER_DATA_DESCRIPTION })
  eraseUserData(@Arg('userId', () => ID) userId: string, @Ctx() ctx: GraphQLContext): Promise<UserErasurePayload> {
    return this.privacyService.eraseUser(principalOf(ctx), userId, metaOf(ctx));
  }
}
