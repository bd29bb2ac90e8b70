import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import { Scope } from '@latchkey/schema';
import type { GraphQLContext } from '../graphql/context';
import { principalOf } from '../access/principal';
import { Archive, ArchiveConnection, ArchiveIntegrity, ArchiveRecordPage, toArchive } from './archive.type';
import type { ArchivalService } from './archival.service';

/**
 * The caller's organization's archives. audit:read: archives are the organization's
 * history (request logs, usage detail, audit copies), read like the audit trail.
 */
@Resolver(() => Archive)
export class ArchiveResolver {
  constructor(private readonly archivalService: ArchivalService) {}

  @Authorized(Scope.auditRead)
  @Query(() => ArchiveConnection, { description: 'Committed archives, newest first (needs audit:read)' })
  async archives(
    @Arg('collection', () => String, { nullable: true, description: 'request_logs, usage_minute or audit_events' }) collection: string | null,
    @Arg('first', () => Int, { nullable: true, description: 'Page size, 1–100 (default 20)' }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() ctx: GraphQLContext,
  ): Promise<ArchiveConnection> {
    const page = await this.archivalService.reader.list(principalOf(ctx).orgId, { collection, first, after });
    return { nodes: page.nodes.map(toArchive), pageInfo: page.pageInfo };
  }

  @Authorized(Scope.auditRead)
  @Query(() => Archive, { description: 'One archive (needs audit:read)' })
  async archive(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphQLContext): Promise<Archive> {
    return toArchive(await this.archivalService.reader.get(principalOf(ctx).orgId, id));
  }

  @FieldResolver(() => ArchiveRecordPage, { description: 'Records read back from the file, in archive order' })
  records(
    @Root() a: Archive,
    @Arg('first', () => Int, { nullable: true, description: '1–1000 (default 100)' }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() ctx: GraphQLContext,
  ): Promise<ArchiveRecordPage> {
    return this.archivalService.reader.records(principalOf(ctx).orgId, a.id, { first, after });
  }

  @FieldResolver(() => ArchiveIntegrity, { description: 'Reads the file back now and compares it with the manifest' })
  async integrity(@Root() a: Archive, @Ctx() ctx: GraphQLContext): Promise<ArchiveIntegrity> {
    const problem = await this.archivalService.reader.integrity(principalOf(ctx).orgId, a.id);
    return { ok: problem === null, problem };
  }
}
