import { Field, InputType } from 'type-graphql';

// Only shapes here: the service validates values (URL safety, known event types)
// and reports field-level BAD_USER_INPUT errors.
@InputType()
export class CreateWebhookEndpointInput {
  @Field({ description: 'http(s) URL on a public address' })
  url!: string;
  @Field(() => String, { nullable: true })
  description?: string | null;
  @Field(() => [String], { nullable: true, description: 'Event types to receive; omit or empty for every event' })
  events?: string[] | null;
}

@InputType()
export class UpdateWebhookEndpointInput {
  @Field(() => String, { nullable: true })
  url?: string | null;
  @Field(() => String, { nullable: true })
  description?: string | null;
  @Field(() => [String], { nullable: true })
  events?: string[] | null;
  @Field(() => Boolean, { nullable: true, description: 'false stops deliveries; true resumes them and clears the reason' })
  enabled?: boolean | null;
  @Field(() => String, { nullable: true, description: 'Why it is being disabled' })
  disabledReason?: string | null;
}
