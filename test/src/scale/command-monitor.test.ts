import { randomBytes } from 'node:crypto';
import mongoose from 'mongoose';
import { CommandMonitor, monitoredMongoUri, statementsOf, valueShape } from '../harness/command-monitor';
import { classify, judgeFerret, judgeMongo, judgeStatement } from './explain-classifier';

/** The instruments of the no-scan test, checked on their own (issue 16). */
describe('command shapes', () => {
  it('keep field names and operators and drop every value', () => {
    const shape = valueShape({ orgId: 'org_1', status: { $in: ['active', 'suspended'] }, name: /acme/i, createdAt: { $lt: new Date() }, 'target.id': 'key_1' });
    expect(shape).toBe('{createdAt:{$lt:?},name:/?/,orgId:?,status:{$in:[?]},target.id:?}');
    expect(shape).not.toMatch(/org_1|active|acme|key_1/);
  });

  it('are the same for the same query written in another order', () => {
    expect(valueShape({ a: 1, b: { $gt: 2 } })).toBe(valueShape({ b: { $gt: 9 }, a: 'x' }));
    expect(valueShape({ $or: [{ a: 1 }, { b: 2 }] })).toBe('{$or:[{a:?},{b:?}]}');
  });

  it('treat a sub-document value as a literal, not as operators', () => {
    expect(valueShape({ target: { type: 'key', id: 'k' } })).toBe('{target:?}');
  });

  it('name each statement of a bulk update and judge writes by their filter', () => {
    const recs = statementsOf('update', {
      update: 'api_keys',
      updates: [
        { q: { _id: 'key_1' }, u: { $set: { name: 'n' }, $inc: { version: 1 } } },
        { q: { orgId: 'o', status: 'active' }, u: { $set: { status: 'expired' } }, multi: true },
      ],
    });
    expect(recs.map((r) => r.shape)).toEqual([
      'update api_keys filter={_id:?} update={$inc:[version],$set:[name]}',
      'update api_keys filter={orgId:?,status:?} update={$set:[status]} multi',
    ]);
    expect(recs[0]?.statement).toEqual({ collection: 'api_keys', kind: 'find', filter: { _id: 'key_1' }, limit: 1 });
  });

  it('describe reads with their sort and whether they are limited', () => {
    const [find] = statementsOf('find', { find: 'audit_events', filter: { orgId: 'o' }, sort: { seq: -1 }, limit: 51 });
    expect(find?.shape).toBe('find audit_events filter={orgId:?} sort={seq:-1} limit');
    const [mapped] = statementsOf('find', { find: 'api_keys', filter: { orgId: 'o' }, sort: new Map([['createdAt', -1], ['_id', -1]]), limit: 51 });
    expect(mapped?.shape).toBe('find api_keys filter={orgId:?} sort={createdAt:-1,_id:-1} limit');
    expect(mapped?.statement.sort).toEqual({ createdAt: -1, _id: -1 });
    const [agg] = statementsOf('aggregate', { aggregate: 'api_keys', pipeline: [{ $match: { orgId: 'o' } }, { $count: 'n' }], cursor: {} });
    expect(agg?.shape).toBe('aggregate api_keys [$match {orgId:?}, $count]');
  });
});

describe('verdicts from explain answers', () => {
  const ferret = (plan: string[], flags: { filterPushdown?: boolean; sortPushdown?: boolean; limitPushdown?: boolean } = {}) => ({
    queryPlanner: { Plan: plan.map((d, i) => `id=${i} parent=0 notused=0 detail=${d}`) },
    filterPushdown: false, sortPushdown: false, limitPushdown: false, ...flags,
  });
  const page = { collection: 'k', kind: 'find' as const, filter: { orgId: 'o' }, sort: { createdAt: -1 }, limit: 51 };

  it('FerretDB: a SEARCH through another index is a range, unless the page is sorted in Go', () => {
    const search = ['SEARCH k_1 USING INDEX k_1_orgId_1 (<expr>=?)'];
    expect(judgeFerret(ferret(search, { filterPushdown: true, sortPushdown: true }), page).verdict).toBe('indexed');
    expect(judgeFerret(ferret(search, { filterPushdown: true }), page).verdict).toBe('unsorted');
    const count = { collection: 'k', kind: 'aggregate' as const, pipeline: [{ $match: { orgId: 'o' } }, { $count: 'n' }] };
    expect(judgeFerret(ferret(search, { filterPushdown: true }), count).verdict).toBe('counted');
    const inSql = ferret(search, { filterPushdown: true });
    (inSql.queryPlanner as Record<string, unknown>).pushdown = { exactFilter: true, countPushdown: true, notes: [] };
    expect(judgeFerret(inSql, count)).toEqual({ verdict: 'indexed', plan: expect.stringContaining('exact count:SQL') });
  });

  it('FerretDB: a SCAN is the whole table unless nothing is filtered and SQL holds the LIMIT', () => {
    expect(judgeFerret(ferret(['SCAN k_1']), page).verdict).toBe('scan');
    expect(judgeFerret(ferret(['SCAN k_1'], { limitPushdown: true }), { collection: 'k', kind: 'find', limit: 1 }).verdict).toBe('bounded');
    expect(judgeFerret(ferret(['SCAN k_1 USING INDEX k_1_createdAt_1'], { sortPushdown: true, limitPushdown: true }), page).verdict).toBe('bounded');
    const byId = ferret(['SEARCH k_1 USING INDEX k_1__id_ (<expr>=?)'], { filterPushdown: true });
    expect(judgeFerret(byId, { collection: 'k', kind: 'find', filter: { _id: 'x' } }).verdict).toBe('point');
  });

  it('MongoDB: COLLSCAN is a scan, an in-memory SORT of a page is unsorted, IDHACK a point read', () => {
    const plan = (winningPlan: unknown) => ({ queryPlanner: { winningPlan } });
    expect(judgeMongo(plan({ stage: 'COLLSCAN' }), page).verdict).toBe('scan');
    expect(judgeMongo(plan({ stage: 'SORT', inputStage: { stage: 'FETCH', inputStage: { stage: 'IXSCAN', indexName: 'orgId_1' } } }), page).verdict).toBe('unsorted');
    expect(judgeMongo(plan({ stage: 'LIMIT', inputStage: { stage: 'FETCH', inputStage: { stage: 'IXSCAN', indexName: 'orgId_1_createdAt_-1' } } }), page).verdict).toBe('indexed');
    expect(judgeMongo(plan({ stage: 'IDHACK' }), { collection: 'k', kind: 'find', filter: { _id: 'x' } }).verdict).toBe('point');
  });
});

describe('explain classifier on the test store', () => {
  const dbName = `lkscan_${randomBytes(4).toString('hex')}`;
  let client: InstanceType<typeof mongoose.mongo.MongoClient>;
  let monitor: CommandMonitor;

  beforeAll(async () => {
    client = new mongoose.mongo.MongoClient(monitoredMongoUri(process.env.MONGODB_URI ?? 'mongodb://127.0.0.1:27017/'));
    await client.connect();
    monitor = new CommandMonitor(client);
    const coll = client.db(dbName).collection<{ _id: string; orgId: string; name: string }>('things');
    await monitor.unrecorded(() => coll.insertMany(Array.from({ length: 30 }, (_, i) => ({ _id: `t${i}`, orgId: `o${i % 3}`, name: `n${i}` }))));
  });
  afterAll(async () => {
    monitor.detach();
    await client.db(dbName).dropDatabase();
    await client.close();
  });

  it('records each command with its label and duration, and nothing while paused', async () => {
    const coll = client.db(dbName).collection<{ _id: string; orgId: string; name: string }>('things');
    await monitor.during('lookup by id', () => coll.findOne({ _id: 't1' }));
    await monitor.during('lookup by name', () => coll.findOne({ name: 'n2' }));
    await monitor.unrecorded(() => coll.findOne({ name: 'n3' }));
    await monitor.during('a sorted page', () => coll.find({ orgId: 'o1' }).sort({ name: -1, _id: 1 }).limit(5).toArray());
    const mine = monitor.records.filter((r) => r.collection === 'things');
    expect(mine.map((r) => [r.source, r.shape])).toEqual([
      ['lookup by id', 'find things filter={_id:?} limit'],
      ['lookup by name', 'find things filter={name:?} limit'],
      ['a sorted page', 'find things filter={orgId:?} sort={name:-1,_id:1} limit'],
    ]);
    expect(mine.every((r) => typeof r.durationMs === 'number')).toBe(true);
  });

  it('calls a lookup by _id a point read and a filter on an unindexed field a scan', async () => {
    const db = client.db(dbName);
    expect((await judgeStatement(db, { collection: 'things', kind: 'find', filter: { _id: 't1' } })).verdict).toBe('point');
    expect((await judgeStatement(db, { collection: 'things', kind: 'find', filter: { name: 'n1' }, limit: 1 })).verdict).toBe('scan');
    expect((await judgeStatement(db, { collection: 'things', kind: 'aggregate', pipeline: [{ $match: { name: 'n1' } }, { $count: 'n' }] })).verdict).toBe('scan');
    expect((await judgeStatement(db, { collection: 'things', kind: 'write' })).verdict).toBe('write');
  });

  it('groups records by shape and keeps where they came from', async () => {
    const findings = await classify(client.db(dbName), monitor.records.filter((r) => r.collection === 'things'));
    expect(findings.map((f) => [f.shape, f.verdict, f.sources])).toEqual(
      expect.arrayContaining([
        ['find things filter={_id:?} limit', 'point', ['lookup by id']],
        ['find things filter={name:?} limit', 'scan', ['lookup by name']],
      ]),
    );
  });
});
