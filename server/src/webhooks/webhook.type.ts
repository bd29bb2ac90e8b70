import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DeliveryStatus } from './webhook.model';
import type { WebhookAttemptView, WebhookDeliveryView, WebhookEndpointView } from './webhook-views';

/**
 * GraphQL shapes of webhooks. Separate from the model on purpose: the sealed signing
 * secrets have no field here, so they cannot be queried.
 */
registerEnumType(DeliveryStatus, { name: 'WebhookDeliveryStatus', description: 'Where a webhook delivery stands' });

@ObjectType({ description: 'A URL that receives signed events (Standard Webhooks v1)' })
export class WebhookEndpoint implements WebhookEndpointView {
  @Field(() => ID, { description: 'whk_…' }) id!: string;
  @Field() url!: string;
  @Field() description!: string;
  @Field(() => [String], { description: 'Subscribed event types; empty means every event' })
  events!: string[];
  @Field() enabled!: boolean;
  @Field(() => String, { nullable: true, description: 'Why deliveries stopped (set when disabled, e.g. the receiver answered 410)' })
  disabledReason!: string | null;
  @Field(() => Date, { nullable: true }) disabledAt!: Date | null;
  @Field(() => Date, { nullable: true }) secretRotatedAt!: Date | null;
  @Field(() => Date, { nullable: true, description: 'Until then deliveries also carry a signature made with the previous secret' })
  previousSecretExpiresAt!: Date | null;
  @Field() createdAt!: Date;
  @Field() updatedAt!: Date;
}

@ObjectType({ description: 'An endpoint with its signing secret, shown only once' })
export class WebhookEndpointWithSecret {
  @Field(() => WebhookEndpoint) endpoint!: WebhookEndpoint;
  @Field({ description: 'whsec_…: store it now, it cannot be read again' })
  secret!: string;
}

@ObjectType({ description: 'One HTTP attempt of a delivery' })
export class WebhookAttempt implements WebhookAttemptView {
  @Field(() => Int, { description: '1 for the first series, +1 per replay' }) series!: number;
  @Field(() => Int, { description: 'Attempt number within the series, from 1' }) attempt!: number;
  @Field() at!: Date;
  @Field() success!: boolean;
  @Field(() => Int, { nullable: true, description: 'HTTP status the receiver answered, if it answered' })
  statusCode!: number | null;
  @Field(() => Int) latencyMs!: number;
  @Field(() => String, { nullable: true }) error!: string | null;
  @Field(() => String, { nullable: true, description: 'First bytes of the receiver answer' })
  responseSnippet!: string | null;
}

@ObjectType({ description: 'One event sent to one endpoint, with every attempt' })
export class WebhookDelivery implements WebhookDeliveryView {
  @Field(() => ID, { description: 'dlv_…, also the webhook-id header: the same on every attempt' }) id!: string;
  @Field(() => ID) endpointId!: string;
  @Field(() => ID, { description: 'One event fanned out to several endpoints shares it' }) eventId!: string;
  @Field() eventType!: string;
  @Field({ description: 'The JSON body sent' }) payload!: string;
  @Field(() => DeliveryStatus) status!: DeliveryStatus;
  @Field(() => Int) series!: number;
  @Field(() => Int, { description: 'Attempts made in the current series' }) attemptCount!: number;
  @Field(() => Int, { nullable: true }) lastStatusCode!: number | null;
  @Field(() => String, { nullable: true }) lastError!: string | null;
  @Field(() => Date, { nullable: true }) lastAttemptAt!: Date | null;
  @Field(() => Date, { nullable: true }) nextAttemptAt!: Date | null;
  @Field(() => Date, { nullable: true }) succeededAt!: Date | null;
  @Field() createdAt!: Date;
  @Field() updatedAt!: Date;
  @Field(() => [WebhookAttempt]) attempts!: WebhookAttempt[];
}

@ObjectType({ description: 'A page of deliveries, newest first' })
export class WebhookDeliveryPage {
  @Field(() => [WebhookDelivery]) nodes!: WebhookDelivery[];
  @Field(() => String, { nullable: true, description: 'Pass as `after` for the next page' }) endCursor!: string | null;
  @Field() hasNextPage!: boolean;
}
