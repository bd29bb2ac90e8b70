import mongoose, { type Connection } from 'mongoose';
import { uniqueName } from '../harness/app';

// The embedded store pushes filters, sorts and counts down to SQLite indexes
// (tools/ferretdb, docs/MONGODB-PORTABILITY.md "Pushdown contract"). The answers must be
// Mongo's: every query here is checked against Mongo semantics computed in memory, over
// values of every scalar type, null, missing fields and arrays. On MongoDB the same
// answers hold and the plans are index scans.
const { ObjectId, Long, Int32, Double } = mongoose.mongo;
type Db = mongoose.mongo.Db;
type Document = mongoose.mongo.Document;
type Collection<T extends Document> = mongoose.mongo.Collection<T>;

type Row = { _id: string; orgId: string; createdAt?: unknown; v?: unknown; n: number };

const OIDS = [new ObjectId('65a000000000000000000001'), new ObjectId('65a0000000000000000000ff')];
// strings chosen where JSON text order is not Mongo's byte order ("ab" < "ab c" < "ab!"), or JSON escapes them
const SCALARS: unknown[] = ['', 'a', 'ab', 'ab c', 'ab!', 'a&b', 'a<b', 'Z', 'é', '😀', 'q"uote', 'back\\slash', '65a000000000000000000001'];
SCALARS.push(0, -0, 1, 5, 5.5, -3, 1e15, new Int32(7), Long.fromNumber(2 ** 40), new Double(7), true, false, null, ...OIDS);
SCALARS.push(new Date(0), new Date(-86_400_000), new Date(1_700_000_000_000), new Date(1_700_000_000_001));

// ---- Mongo semantics, in memory ----
const isNum = (v: unknown) => typeof v === 'number' || v instanceof Int32 || v instanceof Long || v instanceof Double;
const num = (v: unknown) => (v instanceof Long ? v.toNumber() : Number((v as { valueOf(): number }).valueOf()));
function cls(v: unknown): number {
  if (v === null || v === undefined) return 1;
  if (isNum(v)) return 2;
  if (typeof v === 'string') return 3;
  if (Array.isArray(v)) return 5;
  if (v instanceof ObjectId) return 7;
  if (typeof v === 'boolean') return 8;
  if (v instanceof Date) return 9;
  return 4;
}
function cmp(a: unknown, b: unknown): number {
  const d = cls(a) - cls(b);
  if (d !== 0) return Math.sign(d);
  if (isNum(a)) return Math.sign(num(a) - num(b));
  if (typeof a === 'string') return Buffer.compare(Buffer.from(a), Buffer.from(b as string));
  if (a instanceof ObjectId) return Buffer.compare(Buffer.from(a.toHexString()), Buffer.from((b as InstanceType<typeof ObjectId>).toHexString()));
  if (typeof a === 'boolean') return Number(a) - Number(b);
  if (a instanceof Date) return Math.sign(a.getTime() - (b as Date).getTime());
  return 0;
}
const eq = (v: unknown, q: unknown): boolean => (Array.isArray(v) ? v.some((e) => eq(e, q)) : cls(v) === cls(q) && cmp(v, q) === 0);
const OPS = { $gt: (c: number) => c > 0, $gte: (c: number) => c >= 0, $lt: (c: number) => c < 0, $lte: (c: number) => c <= 0 };
type Op = keyof typeof OPS;
const range = (v: unknown, op: Op, q: unknown): boolean => (Array.isArray(v) ? v.some((e) => range(e, op, q)) : cls(v) === cls(q) && OPS[op](cmp(v, q)));
/** Mongo's sort key of a field: arrays sort by their least (ascending) or greatest (descending) element. */
const sortKey = (v: unknown, dir: number) => (Array.isArray(v) ? [...v].sort((a, b) => cmp(a, b) * dir)[0] : v);
function bySort(spec: [keyof Row, number][]) {
  return (a: Row, b: Row) => {
    for (const [f, dir] of spec) {
      const c = cmp(sortKey(a[f], dir), sortKey(b[f], dir)) * dir;
      if (c !== 0) return c;
    }
    return 0;
  };
}

// ---- data: two organizations of scalars, one with arrays in v and createdAt ----
let seed = 42;
const rnd = (n: number) => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31), seed % n);
function makeRows(): Row[] {
  const rows: Row[] = [];
  for (const [org, count] of [['o1', 1200], ['o2', 1200], ['arr', 300]] as const) {
    for (let i = 0; i < count; i++) {
      const r: Row = { _id: `${org}_${String(i).padStart(5, '0')}`, orgId: org, n: i };
      const at = new Date(1_700_000_000_000 + Math.floor(i / 3) * 1000); // ties: the _id tie-break matters
      r.createdAt = org === 'arr' && i % 5 === 0 ? [at, new Date(at.getTime() + 7_000)] : at;
      const pick = rnd(SCALARS.length + 1);
      if (pick < SCALARS.length) r.v = SCALARS[pick];
      if (org === 'arr' && i % 4 === 0) r.v = [SCALARS[rnd(SCALARS.length)], SCALARS[rnd(SCALARS.length)]];
      rows.push(r);
    }
  }
  return rows;
}
const ROWS = makeRows();
const org = (o: string) => ROWS.filter((r) => r.orgId === o);
const ids = (rows: { _id: unknown }[]) => rows.map((r) => String(r._id));
const PAGE_SORT = [['createdAt', -1], ['_id', -1]] as [keyof Row, number][];

describe('embedded store pushdown (FerretDB typed indexes)', () => {
  let conn: Connection;
  let db: Db;
  let items: Collection<Document>;
  let ferret = false;

  beforeAll(async () => {
    const name = uniqueName('pushdown');
    conn = await mongoose.createConnection(process.env.MONGODB_URI as string, { dbName: name, autoIndex: false }).asPromise();
    db = conn.getClient().db(name);
    ferret = 'ferretdbVersion' in (await db.admin().command({ buildInfo: 1 }));
    items = db.collection('items');
    await items.createIndexes([
      { key: { orgId: 1, createdAt: -1, _id: -1 }, name: 'org_created' },
      { key: { orgId: 1, v: 1, _id: 1 }, name: 'org_v' },
      { key: { orgId: 1, _id: 1 }, name: 'org_id' },
    ]);
    await items.insertMany(ROWS.map((r) => ({ ...r }) as Document));
  });
  afterAll(async () => {
    await conn.dropDatabase();
    await conn.close();
  });

  /** The plan of a find/count/aggregate, as the store explains it. */
  async function plan(cmd: Document) {
    const e = await db.command({ explain: cmd });
    if (!ferret) return { mongo: JSON.stringify(e.queryPlanner?.winningPlan ?? e.stages ?? e), plan: [], push: {}, filter: false, sort: false };
    const { Plan, pushdown } = e.queryPlanner as { Plan: string[]; pushdown: Document };
    return { mongo: '', plan: Plan, push: pushdown, filter: e.filterPushdown as boolean, sort: e.sortPushdown as boolean };
  }
  /** Asserts the query reads through an index (no table scan, and on MongoDB no in-memory sort). */
  function expectIndexed(p: Awaited<ReturnType<typeof plan>>, index?: string) {
    if (!ferret) {
      expect(p.mongo).toContain('IXSCAN');
      expect(p.mongo).not.toMatch(/COLLSCAN|"stage":"SORT"/);
      return;
    }
    expect(p.plan.join('\n')).toMatch(/USING (COVERING )?INDEX/);
    expect(p.plan.join('\n')).not.toMatch(/\bSCAN\b|TEMP B-TREE/);
    if (index) expect(String(p.push.index)).toMatch(new RegExp(`_${index}$`));
  }

  it('(i) a filtered, sorted, limited page reads the index in order', async () => {
    const p = await plan({ find: 'items', filter: { orgId: 'o1' }, sort: { createdAt: -1, _id: -1 }, limit: 51 });
    expectIndexed(p, 'org_created');
    if (ferret) expect(p).toMatchObject({ filter: true, sort: true, push: { sorted: true, exactFilter: true } });
    const got = await items.find({ orgId: 'o1' }).sort({ createdAt: -1, _id: -1 }).limit(51).toArray();
    expect(ids(got)).toEqual(ids(org('o1').sort(bySort(PAGE_SORT)).slice(0, 51)));
  });

  it('(ii) equality on every scalar type, null and missing matches Mongo, arrays included', async () => {
    for (const o of ['o1', 'arr']) {
      for (const q of SCALARS) {
        const got = await items.find({ orgId: o, v: q as never }).sort({ _id: 1 }).toArray();
        expect({ o, q, ids: ids(got) }).toEqual({ o, q, ids: ids(org(o).filter((r) => eq(r.v, q))) });
      }
    }
    const p = await plan({ find: 'items', filter: { orgId: 'o1', v: 'ab c' }, sort: { _id: 1 } });
    expectIndexed(p, 'org_v');
    if (ferret) {
      // org 'arr' holds arrays in v: only orgId goes to SQL there, and the plan says why
      const arr = await plan({ find: 'items', filter: { orgId: 'arr', v: 'a' } });
      expect(arr.push).toMatchObject({ exactFilter: false, notes: [expect.stringContaining('v holds arrays')] });
    }
  });

  it('(ii) ranges and $in keep Mongo type bracketing', async () => {
    const probes = ['ab', 5, new Date(1_700_000_000_000), OIDS[0], false, -3];
    for (const o of ['o1', 'arr']) {
      for (const q of probes) {
        for (const op of Object.keys(OPS) as Op[]) {
          const got = await items.find({ orgId: o, v: { [op]: q } }).sort({ _id: 1 }).toArray();
          expect({ o, op, q, ids: ids(got) }).toEqual({ o, op, q, ids: ids(org(o).filter((r) => range(r.v, op, q))) });
        }
      }
      const inList = ['a', 'Z', 'é'];
      const got = await items.find({ orgId: o, v: { $in: inList } }).sort({ _id: 1 }).toArray();
      expect(ids(got)).toEqual(ids(org(o).filter((r) => inList.some((q) => eq(r.v, q)))));
    }
  });

  it('(ii) sorts on a field of mixed types come back in Mongo order', async () => {
    for (const dir of [1, -1] as const) {
      const got = await items.find({ orgId: 'o1' }).sort({ v: dir, _id: dir }).toArray();
      expect(ids(got)).toEqual(ids(org('o1').sort(bySort([['v', dir], ['_id', dir]]))));
      if (ferret) expect((await plan({ find: 'items', filter: { orgId: 'o1' }, sort: { v: dir, _id: dir } })).sort).toBe(true);
    }
    // arrays in createdAt: FerretDB sorts in memory there (min/max element), still Mongo's order
    const got = await items.find({ orgId: 'arr' }).sort({ createdAt: -1, _id: -1 }).limit(60).toArray();
    expect(ids(got)).toEqual(ids(org('arr').sort(bySort(PAGE_SORT)).slice(0, 60)));
  });

  it('(ii) cursor pages walk the whole organization, each page through the index', async () => {
    const want = ids(org('o2').sort(bySort(PAGE_SORT)));
    const seen: string[] = [];
    let cursor: Document | null = null;
    for (let page = 0; page < 100; page++) {
      const q: Document = cursor ? { orgId: 'o2', $or: [{ createdAt: { $lt: cursor.createdAt } }, { createdAt: cursor.createdAt, _id: { $lt: cursor._id } }] } : { orgId: 'o2' };
      const rows = await items.find(q).sort({ createdAt: -1, _id: -1 }).limit(50).toArray();
      if (page === 10) expectIndexed(await plan({ find: 'items', filter: q, sort: { createdAt: -1, _id: -1 }, limit: 50 }), 'org_created');
      seen.push(...ids(rows));
      if (rows.length < 50) break;
      cursor = rows[rows.length - 1];
    }
    expect(seen).toEqual(want);

    const byId = ids(org('o2').sort((a, b) => (a._id < b._id ? -1 : 1)));
    const after = byId[600];
    const q: Document = { orgId: 'o2', _id: { $gt: after } };
    expect(ids(await items.find(q).sort({ _id: 1 }).limit(50).toArray())).toEqual(byId.slice(601, 651));
    expectIndexed(await plan({ find: 'items', filter: q, sort: { _id: 1 }, limit: 50 }), 'org_id');
  });

  it('(iii) counts with equality filters are exact and come from the index', async () => {
    for (const o of ['o1', 'o2', 'arr']) {
      expect(await items.countDocuments({ orgId: o })).toBe(org(o).length);
      for (const q of ['ab c', 5, null, true, OIDS[1], new Date(0)]) {
        expect({ o, q, n: await items.countDocuments({ orgId: o, v: q as never }) }).toEqual({ o, q, n: org(o).filter((r) => eq(r.v, q)).length });
      }
    }
    expect((await db.command({ count: 'items', query: { orgId: 'o1', v: 'a' } })).n).toBe(org('o1').filter((r) => eq(r.v, 'a')).length);
    const c = await plan({ count: 'items', query: { orgId: 'o1', v: 'a' } });
    const g = await plan({ aggregate: 'items', pipeline: [{ $match: { orgId: 'o2' } }, { $group: { _id: 1, n: { $sum: 1 } } }], cursor: {} });
    for (const p of [c, g]) {
      expectIndexed(p);
      if (ferret) expect(p.push).toMatchObject({ countPushdown: true, exactFilter: true });
    }
    expect(await items.aggregate([{ $match: { orgId: 'o2' } }, { $count: 'total' }]).toArray()).toEqual([{ total: 1200 }]);
    expect(await items.aggregate([{ $match: { orgId: 'nobody' } }, { $count: 'total' }]).toArray()).toEqual([]);
  });

  it('point reads by _id with other fields use the _id index', async () => {
    const row = org('o1')[77];
    expect(await items.findOne({ _id: row._id as never, orgId: 'o1' })).toMatchObject({ _id: row._id, n: row.n });
    expect(await items.findOne({ _id: row._id as never, orgId: 'o2' })).toBeNull();
    expectIndexed(await plan({ find: 'items', filter: { _id: row._id, orgId: 'o1' } }));
  });

  it('unique typed indexes refuse what MongoDB refuses', async () => {
    const u = db.collection('uniq');
    await u.createIndex({ code: 1 }, { unique: true, name: 'code_1' });
    await u.insertOne({ _id: 'n1' as never, code: null });
    await expect(u.insertOne({ _id: 'n2' as never, code: null })).rejects.toMatchObject({ code: 11000 });
    await u.insertOne({ _id: 'f1' as never, code: 5 });
    await expect(u.insertOne({ _id: 'f2' as never, code: new Double(5) })).rejects.toMatchObject({ code: 11000 });
    await u.insertMany([{ _id: 's1' as never, code: OIDS[0].toHexString() }, { _id: 's2' as never, code: OIDS[0] }]);
    expect(await u.countDocuments({ code: OIDS[0] })).toBe(1);
  });
});
