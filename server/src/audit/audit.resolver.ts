import { Args, Authorized, Ctx, Query, Resolver } from 'type-graphql';
import { Scope } from '@latchkey/schema';
import type { GraphQLContext } from '../graphql/context';
import { AppError } from '../infra/app-error';
import { AuditChainVerification, AuditEventConnection } from './audit.type';
import { AuditEventsArgs, AuditExportArgs, VerifyAuditChainArgs } from './audit.inputs';
import type { AuditFilter } from './audit-query';
import type { AuditEventFilter } from './audit.inputs';
import type { AuditService } from './audit.service';

// The organization is always the caller's own: no argument can name another one.
function orgOf(ctx: GraphQLContext): string {
  if (!ctx.principal) throw AppError.unauthenticated();
  return ctx.principal.orgId;
}

function toFilter(f: AuditEventFilter | undefined): AuditFilter {
  if (!f) return {};
  const { actorType, actorId, targetType, targetId, action, from, to } = f;
  return { actorType, actorId, targetType, targetId, action, from, to };
}

@Resolver()
export class AuditResolver {
  constructor(private readonly auditService: AuditService) {}

  @Authorized(Scope.auditRead)
  @Query(() => AuditEventConnection, { description: 'The organization’s audit events, newest first' })
  auditEvents(@Args() args: AuditEventsArgs, @Ctx() ctx: GraphQLContext): Promise<AuditEventConnection> {
    return this.auditService.list(orgOf(ctx), toFilter(args.filter), { first: args.first, after: args.after });
  }

  @Authorized(Scope.auditRead)
  @Query(() => AuditChainVerification, { description: 'Walks the audit chain and reports the first broken link' })
  verifyAuditChain(@Args() args: VerifyAuditChainArgs, @Ctx() ctx: GraphQLContext): Promise<AuditChainVerification> {
    return this.auditService.verifyChain(orgOf(ctx), args.from ? { from: { seq: args.from.seq, hash: args.from.hash } } : {});
  }

  @Authorized(Scope.auditExport)
  @Query(() => String, { description: 'Audit events in chain order as NDJSON or CSV (up to 10 000 events)' })
  auditExport(@Args() args: AuditExportArgs, @Ctx() ctx: GraphQLContext): Promise<string> {
    return this.auditService.exportToString(orgOf(ctx), args.format, toFilter(args.filter));
  }
}
