import { ArgsType, Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { AlertType } from './alert-rules';
import type { AlertView } from './alert-views';

/** GraphQL enum names are upper case; stored values stay as the domain spells them. */
export const AlertSeverityEnum = { INFO: 'info', LOW: 'low', MEDIUM: 'medium', HIGH: 'high', CRITICAL: 'critical' } as const;
export const AlertStatusEnum = { OPEN: 'open', ACKNOWLEDGED: 'acknowledged', RESOLVED: 'resolved' } as const;
registerEnumType(AlertSeverityEnum, { name: 'AlertSeverity' });
registerEnumType(AlertStatusEnum, { name: 'AlertStatus', description: 'open → acknowledged → resolved' });
registerEnumType(AlertType, { name: 'AlertType', description: 'What a security alert is about (docs/MONITORING.md lists the rules)' });

@ObjectType()
export class AlertDetailEntry {
  @Field() name!: string;
  @Field() value!: string;
}

@ObjectType({ description: 'What organization policy did automatically about a critical alert' })
export class AlertAutoResponse {
  @Field({ description: 'key_suspended' }) action!: string;
  @Field() at!: Date;
  @Field(() => ID) keyId!: string;
  @Field(() => String, { nullable: true, description: 'Why the action could not be taken' }) error!: string | null;
}

@ObjectType({ description: 'A security alert (alr_…), de-duplicated within its window' })
export class Alert implements Omit<AlertView, 'type' | 'severity' | 'status'> {
  @Field(() => ID) id!: string;
  @Field(() => AlertType) type!: string;
  @Field(() => AlertSeverityEnum) severity!: string;
  @Field(() => AlertStatusEnum) status!: string;
  @Field() title!: string;
  @Field() summary!: string;
  @Field(() => ID, { nullable: true }) keyId!: string | null;
  @Field(() => ID, { nullable: true, description: 'Owner of the key, the person to notify' }) ownerId!: string | null;
  @Field(() => String, { nullable: true }) ip!: string | null;
  @Field(() => Int, { description: 'Occurrences folded into this alert' }) count!: number;
  @Field() firstSeen!: Date;
  @Field() lastSeen!: Date;
  @Field(() => [AlertDetailEntry]) details!: AlertDetailEntry[];
  @Field(() => AlertAutoResponse, { nullable: true }) response!: AlertAutoResponse | null;
  @Field(() => ID, { nullable: true }) acknowledgedBy!: string | null;
  @Field(() => Date, { nullable: true }) acknowledgedAt!: Date | null;
  @Field(() => ID, { nullable: true }) resolvedBy!: string | null;
  @Field(() => Date, { nullable: true }) resolvedAt!: Date | null;
  @Field() createdAt!: Date;
}

@ObjectType()
export class AlertPageInfo {
  @Field() hasNextPage!: boolean;
  @Field(() => String, { nullable: true }) endCursor!: string | null;
}

@ObjectType({ description: 'Alerts, newest first' })
export class AlertConnection {
  @Field(() => [Alert]) nodes!: Alert[];
  @Field(() => AlertPageInfo) pageInfo!: AlertPageInfo;
}

@InputType()
export class AlertFilterInput {
  @Field(() => [AlertStatusEnum], { nullable: true }) status?: string[] | null;
  @Field(() => [AlertSeverityEnum], { nullable: true }) severity?: string[] | null;
  @Field(() => [AlertType], { nullable: true }) type?: string[] | null;
  @Field(() => ID, { nullable: true }) keyId?: string | null;
  @Field(() => Date, { nullable: true, description: 'Last seen at or after' }) from?: Date | null;
  @Field(() => Date, { nullable: true, description: 'Last seen before' }) to?: Date | null;
}

@ArgsType()
export class AlertsArgs {
  @Field(() => AlertFilterInput, { nullable: true }) filter?: AlertFilterInput | null;
  @Field(() => Int, { nullable: true, description: '1–100, default 20' }) first?: number | null;
  @Field(() => String, { nullable: true }) after?: string | null;
}

@ObjectType({ description: 'A new (or escalated) alert, as pushed to subscribers' })
export class AlertEvent {
  @Field(() => ID) alertId!: string;
  @Field(() => AlertType) type!: string;
  @Field(() => AlertSeverityEnum) severity!: string;
  @Field(() => ID, { nullable: true }) keyId!: string | null;
  @Field(() => ID, { nullable: true }) ownerId!: string | null;
  @Field(() => String, { nullable: true }) ip!: string | null;
  @Field(() => Int) count!: number;
  @Field(() => Float, { description: 'Epoch ms' }) firstSeen!: number;
  @Field(() => Float, { description: 'Epoch ms' }) lastSeen!: number;
  @Field({ description: 'True when an existing alert became more severe (or was acted on)' }) escalated!: boolean;
  @Field() summary!: string;
  @Field(() => Float, { description: 'Epoch ms when it was published' }) at!: number;
}
