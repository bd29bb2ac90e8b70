import { ArgsType, Field, Int, ObjectType } from 'type-graphql';
import type { Model } from 'mongoose';
import { z } from 'zod';
import { parseInput } from './validation';

/**
 * Cursor pagination shared by list queries: ids are time-ordered (`newId`), so the
 * cursor is the last id seen and pages are `_id > after` in id order.
 */
@ObjectType({ description: 'Where a page ends and whether another follows' })
export class PageInfo {
  @Field({ description: 'Whether another page follows' })
  hasNextPage!: boolean;

  @Field(() => String, { nullable: true, description: 'Pass as `after` to get the next page' })
  endCursor!: string | null;
}

@ArgsType()
export class PageArgs {
  @Field(() => Int, { nullable: true, description: 'Page size, 1–100 (default 20)' })
  first?: number | null;

  @Field(() => String, { nullable: true, description: 'endCursor of the previous page' })
  after?: string | null;
}

export interface Page<T> {
  nodes: T[];
  pageInfo: PageInfo;
}

const PageSchema = z.object({
  first: z.number().int('must be an integer').min(1, 'must be at least 1').max(100, 'must be at most 100').nullish(),
  after: z.string().max(100, 'must be at most 100 characters').regex(/^[a-z]{2,5}_[a-z0-9]{1,64}$/, 'is not a cursor').nullish(),
});

/** One page of `model` matching `filter` (which must already carry the orgId). */
export async function paginate<T extends { _id: string }>(
  model: Model<T>,
  filter: Record<string, unknown>,
  args: PageArgs,
): Promise<Page<T>> {
  const { first, after } = parseInput(PageSchema, { first: args.first, after: args.after });
  const limit = first ?? 20;
  const query: Record<string, unknown> = after ? { ...filter, _id: { $gt: after } } : { ...filter };
  const rows = (await model.find(query).sort({ _id: 1 }).limit(limit + 1).lean().exec()) as unknown as T[];
  const nodes = rows.slice(0, limit);
  return { nodes, pageInfo: { hasNextPage: rows.length > limit, endCursor: nodes.at(-1)?._id ?? null } };
}
