import type { NonEmptyArray } from 'type-graphql';
import { SystemResolver } from '../health/system.resolver';
import { WebhookResolver } from '../webhooks/webhook.resolver';
import { accessResolvers } from '../access/access.resolvers';

/**
 * Every resolver class of the API. Add a domain's resolver here when it lands.
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export const resolvers: NonEmptyArray<Function> = [SystemResolver, ...accessResolvers, WebhookResolver];
