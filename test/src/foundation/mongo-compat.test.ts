import mongoose, { Schema, type Connection } from 'mongoose';
import { uniqueName } from '../harness/app';

// The embedded FerretDB must do what our services rely on (CONVENTIONS, "MongoDB
// portability"): unique indexes, upserts, findOneAndUpdate, aggregation.
describe('MongoDB-wire store', () => {
  let conn: Connection;
  const Thing = new Schema({ name: { type: String, required: true }, orgId: String, n: Number, tags: [String] });
  Thing.index({ name: 1 }, { unique: true });
  Thing.index({ orgId: 1, n: -1 });

  beforeAll(async () => {
    conn = await mongoose.createConnection(process.env.MONGODB_URI as string, { dbName: uniqueName('compat'), autoIndex: false }).asPromise();
  });
  afterAll(async () => {
    await conn.dropDatabase();
    await conn.close();
  });

  it('creates a unique index and refuses a duplicate', async () => {
    const M = conn.model('Thing', Thing);
    await M.createIndexes();
    await M.create({ name: 'a', orgId: 'org_1', n: 1, tags: ['x'] });
    await expect(M.create({ name: 'a', orgId: 'org_1', n: 2 })).rejects.toMatchObject({ code: 11000 });
  });

  it('updates atomically with findOneAndUpdate and upserts', async () => {
    const M = conn.model('Thing');
    const after = await M.findOneAndUpdate({ name: 'a' }, { $inc: { n: 5 }, $addToSet: { tags: 'y' } }, { returnDocument: 'after' }).lean();
    expect(after).toMatchObject({ n: 6, tags: ['x', 'y'] });
    const up = await M.findOneAndUpdate({ name: 'b' }, { $setOnInsert: { orgId: 'org_2', n: 1 } }, { upsert: true, new: true }).lean();
    expect(up).toMatchObject({ name: 'b', orgId: 'org_2', n: 1 });
  });

  // FerretDB v1 applies updates as read-then-write without isolation, so concurrent
  // compare-and-set updates can both "win" (docs/MONGODB-PORTABILITY.md). A unique
  // index is enforced by the backend itself: that is the primitive we serialize on.
  it('a unique index admits exactly one of many concurrent inserts', async () => {
    const M = conn.model('Thing');
    const results = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => M.create({ name: 'race', n: i })));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(await M.countDocuments({ name: 'race' })).toBe(1);
  });

  it('aggregates with $match/$group/$sort', async () => {
    const M = conn.model('Thing');
    await M.insertMany([
      { name: 'c', orgId: 'org_1', n: 3 },
      { name: 'd', orgId: 'org_1', n: 4 },
    ]);
    // One accumulator per $group: FerretDB v1 computes only the first one.
    const rows = await M.aggregate<{ _id: string; total: number }>([
      { $match: { orgId: 'org_1' } },
      { $group: { _id: '$orgId', total: { $sum: '$n' } } },
      { $sort: { total: -1 } },
    ]);
    expect(rows).toEqual([{ _id: 'org_1', total: 13 }]);
  });
});
