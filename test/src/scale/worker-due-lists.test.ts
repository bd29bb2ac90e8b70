import { randomBytes } from 'node:crypto';
import mongoose, { type Connection } from 'mongoose';
import { apiKeyModel } from '@latchkey/server/testing';
import { judgeStatement } from './explain-classifier';
import type { Statement } from '../harness/command-monitor';

// Issue 16, item 3: workers find their work through an indexed due field, so their cost
// follows the keys due, not the keys stored. Each worker query shape is explained by the
// store over a seeded collection: it must be a range on the `{status, <due field>}` index
// (an equality on one status and a time range), never a read of every key.
describe("workers' due lists are index ranges", () => {
  const dbName = `due_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  let conn: Connection;
  const now = new Date();
  const later = new Date(now.getTime() + 30 * 86_400_000);

  beforeAll(async () => {
    conn = await mongoose.createConnection(process.env.MONGODB_URI as string, { dbName, autoIndex: false }).asPromise();
    await apiKeyModel(conn).createIndexes();
    const statuses = ['active', 'suspended', 'rotating', 'revoked', 'expired'];
    await apiKeyModel(conn).collection.insertMany(
      Array.from({ length: 200 }, (_, i) => ({
        _id: `key_due_${String(i).padStart(4, '0')}`,
        orgId: `org_${i % 3}`,
        status: statuses[i % statuses.length],
        expiresAt: i % 4 === 0 ? null : new Date(now.getTime() + (i - 100) * 3_600_000),
        nextRotationAt: i % 7 === 0 ? new Date(now.getTime() - 1_000) : null,
        graceEndsAt: i % 5 === 2 ? new Date(now.getTime() + i * 60_000) : null,
      })) as never,
    );
  });
  afterAll(async () => {
    await conn.dropDatabase();
    await conn.close();
  });

  const plan = async (s: Omit<Statement, 'collection' | 'kind'>) => (await judgeStatement(conn.db as never, { collection: 'api_keys', kind: 'find', ...s })).plan;
  /** SQLite searched `{status, field}` with an equality on status and a bound on the time (`status: {$in}` gives no bound). */
  const rangeOn = (field: string) => new RegExp(`USING INDEX \\S+_status_1_${field}_1 \\(<expr>=\\? AND <expr>=\\? AND <expr>=\\? AND <expr>[<>]`);

  it('expiry warnings: one status, expiresAt in (now, horizon], paged in index order', async () => {
    const p = await plan({ filter: { status: 'active', expiresAt: { $gt: now, $lte: later } }, sort: { expiresAt: 1, _id: 1 }, limit: 500 });
    expect(p).toMatch(rangeOn('expiresAt'));
    expect(p).toMatch(/sort:pushed/);
    const cursor = { $or: [{ expiresAt: { $gt: now } }, { expiresAt: now, _id: { $gt: 'key_due_0100' } }] };
    const next = await plan({ filter: { status: 'active', expiresAt: { $gt: now, $lte: later }, ...cursor }, sort: { expiresAt: 1, _id: 1 }, limit: 500 });
    expect(next).toMatch(rangeOn('expiresAt'));
    expect(next).toMatch(/sort:pushed/);
  });

  it('expiry: one status, expiresAt before the grace cutoff', async () => {
    expect(await plan({ filter: { status: 'suspended', expiresAt: { $lte: now } }, limit: 500 })).toMatch(rangeOn('expiresAt'));
  });

  it('scheduled rotation and grace ends: the active or rotating keys due by now', async () => {
    const rotation = await plan({ filter: { _id: { $gt: '' }, status: 'active', nextRotationAt: { $ne: null, $lte: now } }, sort: { _id: 1 }, limit: 500 });
    expect(rotation).toMatch(rangeOn('nextRotationAt'));
    expect(await plan({ filter: { status: 'rotating', graceEndsAt: { $lte: now } }, limit: 100 })).toMatch(rangeOn('graceEndsAt'));
  });
});
