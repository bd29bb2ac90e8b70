import { Field, ObjectType } from 'type-graphql';
import type { LeakReporterDoc } from './leak.model';

@ObjectType({ description: 'Who may report exposed keys to POST /v1/leaks (the secret itself is never shown again)' })
export class LeakReporter {
  @Field({ description: 'organization, or platform (keys of every organization)' }) scope!: string;
  @Field(() => String, { nullable: true }) orgId!: string | null;
  @Field({ description: 'First characters of the secret, to recognize it' }) start!: string;
  @Field() createdAt!: Date;
  @Field() createdBy!: string;
}

@ObjectType()
export class LeakReporterSecretPayload {
  @Field(() => LeakReporter) reporter!: LeakReporter;
  @Field({ description: 'Shown once: send it as Authorization: Bearer <secret> to POST /v1/leaks' }) secret!: string;
}

export function toLeakReporter(d: LeakReporterDoc): LeakReporter {
  return { scope: d.scope, orgId: d.orgId, start: d.start, createdAt: d.createdAt, createdBy: d.createdBy };
}
