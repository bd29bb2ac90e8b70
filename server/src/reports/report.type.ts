import { Field, Float, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { GraphQLJSONObject } from 'graphql-scalars';
import { ReportKind } from './report.service';

export const ReportFormat = { JSON: 'JSON', CSV: 'CSV' } as const;
export type ReportFormat = (typeof ReportFormat)[keyof typeof ReportFormat];
registerEnumType(ReportKind, { name: 'ReportKind' });
registerEnumType(ReportFormat, { name: 'ReportFormat' });

@ObjectType()
export class ReportColumn {
  @Field() key!: string;
  @Field() header!: string;
}

@ObjectType({ description: 'A generated report; also downloadable from GET /v1/reports/:kind?from&to&format=csv|json' })
export class ReportResult {
  @Field(() => ReportKind) kind!: string;
  @Field() generatedAt!: Date;
  @Field() from!: Date;
  @Field() to!: Date;
  @Field(() => [ReportColumn]) columns!: ReportColumn[];
  @Field(() => [GraphQLJSONObject], { description: 'One JSON object per row, keyed by column key' }) rows!: Record<string, unknown>[];
  @Field(() => Int) rowCount!: number;
  @Field(() => String, { nullable: true, description: 'The rows as CSV (RFC 4180) when format is CSV' }) csv!: string | null;
}

@ObjectType({ description: 'Prices the BILLING report applies' })
export class BillingSettings {
  @Field(() => Float) perRequest!: number;
  @Field(() => Float) perGb!: number;
  @Field() currency!: string;
  @Field(() => Date, { nullable: true }) updatedAt!: Date | null;
}

@InputType()
export class BillingSettingsInput {
  @Field(() => Float, { description: 'Price of one verified request' }) perRequest!: number;
  @Field(() => Float, { description: 'Price of 10^9 bytes in + out' }) perGb!: number;
  @Field({ defaultValue: 'USD', description: 'ISO 4217' }) currency!: string;
}
