import { Arg, Authorized, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import { Scope } from '@latchkey/schema';
import type { GraphQLContext } from '../graphql/context';
import { principalOf } from '../access/principal';
import { QueueStatus } from './jobs-admin.type';
import type { JobsAdminService } from './jobs-admin.service';

/** Background job queues: platform level (system:admin, platform administrators only). */
@Resolver()
export class JobsAdminResolver {
  constructor(private readonly jobsAdminService: JobsAdminService) {}

  @Authorized(Scope.systemAdmin)
  @Query(() => [QueueStatus], { description: 'Every job queue with its counts and recent failures (platform administrators)' })
  queues(
    @Arg('failedLimit', () => Int, { nullable: true, description: 'Failed jobs listed per queue, 0–100 (default 20)' }) failedLimit: number | null,
    @Ctx() ctx: GraphQLContext,
  ): Promise<QueueStatus[]> {
    return this.jobsAdminService.overview(principalOf(ctx), failedLimit ?? 20);
  }

  @Authorized(Scope.systemAdmin)
  @Mutation(() => Boolean, { description: 'Retries one failed job' })
  retryJob(@Arg('queue') queue: string, @Arg('id', () => ID) id: string, @Ctx() ctx: GraphQLContext): Promise<boolean> {
    return this.jobsAdminService.retryJob(principalOf(ctx), queue, id);
  }

  @Authorized(Scope.systemAdmin)
  @Mutation(() => Int, { description: 'Retries every failed job of a queue; answers how many were failed' })
  retryFailedJobs(@Arg('queue') queue: string, @Ctx() ctx: GraphQLContext): Promise<number> {
    return this.jobsAdminService.retryFailedJobs(principalOf(ctx), queue);
  }
}
