import { Field, Int, ObjectType } from 'type-graphql';

@ObjectType({ description: 'Everything the platform holds about one person (docs/PERSONAL-DATA.md)' })
export class PersonalDataExportPayload {
  @Field() userId!: string;
  @Field() generatedAt!: Date;
  @Field({ description: 'The export as JSON: {format, version, generatedAt, user, data: {sessions, apiKeys, keyRequests, notifications, alerts, auditEvents}}' })
  json!: string;
}

@ObjectType({ description: 'What an erasure removed; the audit chain still verifies (erased events carry a tombstone)' })
export class UserErasurePayload {
  @Field() userId!: string;
  @Field(() => Int) auditEventsErased!: number;
  @Field(() => Int) sessionsDeleted!: number;
  @Field(() => Int) notificationsDeleted!: number;
  @Field(() => Int) keysRevoked!: number;
}
