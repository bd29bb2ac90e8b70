import { Arg, Authorized, Ctx, Int, Mutation, Query, Resolver } from 'type-graphql';
import { Scope } from '@latchkey/schema';
import type { GraphQLContext } from '../graphql/context';
import { principalOf } from '../access/principal';
import { BillingSettings, BillingSettingsInput, ReportFormat, ReportResult } from './report.type';
import { ReportKind, type ReportService } from './report.service';

@Resolver()
export class ReportResolver {
  constructor(private readonly reportService: ReportService) {}

  @Authorized(Scope.reportsRead)
  @Query(() => ReportResult, { description: 'Monthly usage, key performance, security incidents, billing or compliance over [from, to)' })
  async report(
    @Ctx() ctx: GraphQLContext,
    @Arg('kind', () => ReportKind) kind: ReportKind,
    @Arg('from') from: Date,
    @Arg('to') to: Date,
    @Arg('format', () => ReportFormat, { defaultValue: 'JSON' }) format: ReportFormat,
    @Arg('unusedDays', () => Int, { nullable: true, description: 'COMPLIANCE: a key unused this long is flagged (default 90)' }) unusedDays?: number | null,
  ): Promise<ReportResult> {
    const r = await this.reportService.generate(principalOf(ctx), kind, from, to, { unusedDays });
    return { ...r, rowCount: r.rows.length, csv: format === 'CSV' ? r.csv : null };
  }

  @Authorized(Scope.reportsRead)
  @Query(() => BillingSettings, { description: 'Prices of the BILLING report' })
  billingSettings(@Ctx() ctx: GraphQLContext): Promise<BillingSettings> {
    return this.reportService.billingSettings(principalOf(ctx).orgId);
  }

  @Authorized(Scope.organizationAdmin)
  @Mutation(() => BillingSettings, { description: 'Set the prices per request and per GB of the BILLING report' })
  updateBillingSettings(@Ctx() ctx: GraphQLContext, @Arg('input') input: BillingSettingsInput): Promise<BillingSettings> {
    return this.reportService.updateBillingSettings(principalOf(ctx), { ...input });
  }
}
