import { Field, Float, ID, InterfaceType, ObjectType, registerEnumType } from 'type-graphql';

export const GranularityEnum = { MINUTE: 'MINUTE', HOUR: 'HOUR', DAY: 'DAY' } as const;
registerEnumType(GranularityEnum, { name: 'UsageGranularity' });

@ObjectType({ description: 'A name (code, status, class, country) and how often it occurred' })
export class NamedCount {
  @Field() name!: string;
  @Field(() => Float) count!: number;
}

@ObjectType({ description: 'Latency percentiles of reported requests (ms), from fixed log-scale buckets' })
export class LatencyStats {
  @Field(() => Float, { nullable: true }) p50!: number | null;
  @Field(() => Float, { nullable: true }) p95!: number | null;
  @Field(() => Float, { nullable: true }) p99!: number | null;
  @Field(() => Float, { nullable: true }) meanMs!: number | null;
  @Field(() => Float, { description: 'Each percentile is within this relative error of the true value (0.0905 = ±9.05 %)' }) relativeError!: number;
}

@InterfaceType('UsageFigures', { description: 'Traffic figures of a bucket or a period' })
export abstract class UsageFiguresBase {
  @Field(() => Float, { description: 'Verifications of the key(s), whatever the outcome' }) requests!: number;
  @Field(() => Float) valid!: number;
  @Field(() => Float) denied!: number;
  @Field(() => Float, { description: 'denied / requests' }) errorRate!: number;
  @Field(() => [NamedCount], { description: 'Outcomes by verification code' }) codes!: NamedCount[];
  @Field(() => Float, { description: 'Requests reported through POST /v1/usage' }) reported!: number;
  @Field(() => [NamedCount], { description: '2xx … 5xx of reported requests' }) statusClasses!: NamedCount[];
  @Field(() => [NamedCount]) statuses!: NamedCount[];
  @Field(() => Float, { description: '5xx / reported' }) serverErrorRate!: number;
  @Field(() => Float, { description: '1 − serverErrorRate (1 when nothing was reported)' }) availability!: number;
  @Field(() => LatencyStats) latency!: LatencyStats;
  @Field(() => Float) bytesIn!: number;
  @Field(() => Float) bytesOut!: number;
  @Field(() => [NamedCount], { description: 'Requests by client country (offline GeoIP)' }) countries!: NamedCount[];
  @Field(() => [NamedCount], { description: 'Consumption per metered dimension (CPU ms, DB queries, …)' }) dimensions!: NamedCount[];
  @Field(() => Float, { description: 'Distinct client IPs (HyperLogLog; across buckets a lower bound)' }) distinctIps!: number;
}

@ObjectType({ description: 'One bucket of a key’s usage', implements: UsageFiguresBase })
export class UsagePoint extends UsageFiguresBase {
  @Field() bucketStart!: Date;
}

@ObjectType({ description: 'The same figures for the period just before (trends)', implements: UsageFiguresBase })
export class UsagePeriod extends UsageFiguresBase {}

@ObjectType()
export class TopKey {
  @Field(() => ID) keyId!: string;
  @Field() name!: string;
  @Field(() => Float) requests!: number;
  @Field(() => Float) errorRate!: number;
}

@ObjectType({ description: 'Usage over a range, from rollups only', implements: UsageFiguresBase })
export class UsageSummary extends UsageFiguresBase {
  @Field() from!: Date;
  @Field() to!: Date;
  @Field(() => Float, { description: 'requests per second over the range' }) throughputPerSecond!: number;
  @Field(() => [TopKey], { description: 'Busiest keys (up to 10)' }) topKeys!: TopKey[];
  @Field(() => UsagePeriod, { description: 'The previous period of the same length' }) previous!: UsagePeriod;
  @Field(() => Float, { nullable: true, description: '(requests − previous) / previous' }) requestsChange!: number | null;
  @Field(() => Float, { description: 'errorRate − previous errorRate' }) errorRateChange!: number;
  @Field(() => Float, { nullable: true, description: 'relative change of p95 latency' }) p95Change!: number | null;
}
