import type { Model } from 'mongoose';
import { createLogger } from '../infra/logger';
import { ChainAppender, type UnchainedEvent } from './audit-appender';
import type { AuditEventDoc } from './audit.model';
import { GENESIS_HASH, eventHash, payloadDigest } from './audit-hash';
import { chainMaterial, toRecord } from './audit-record';

/** Just enough of a mongoose model, with a unique {orgId, seq} and a hook to race us. */
class FakeStore {
  docs: AuditEventDoc[] = [];
  beforeInsert: (() => void) | null = null;
  failWith: unknown = null;

  model(): Model<AuditEventDoc> {
    const head = (orgId: string) => this.docs.filter((d) => d.orgId === orgId).sort((a, b) => b.seq - a.seq)[0] ?? null;
    return {
      findOne: (q: { orgId: string }) => ({ sort: () => ({ select: () => ({ lean: async () => head(q.orgId) }) }) }),
      insertMany: async (docs: AuditEventDoc[]) => {
        this.beforeInsert?.();
        this.beforeInsert = null;
        if (this.failWith) throw this.failWith;
        for (const d of docs) {
          if (this.docs.some((x) => x.orgId === d.orgId && x.seq === d.seq)) throw Object.assign(new Error('E11000'), { code: 11000 });
          this.docs.push(d);
        }
      },
      countDocuments: async (q: { _id: { $in: string[] } }) => this.docs.filter((d) => q._id.$in.includes(d._id)).length,
    } as unknown as Model<AuditEventDoc>;
  }
}

const logger = createLogger({ level: 'silent', name: 'appender-test' });
const ev = (i: number): UnchainedEvent => ({
  v: 1, orgId: 'org_1', actor: { type: 'system', id: 'test' }, action: 'thing.done', target: { type: 'thing', id: `t${i}` },
  requestId: null, ip: null, userAgent: null, before: null, after: { i }, payloadDigest: payloadDigest(null, { i }),
});

function assertChain(docs: AuditEventDoc[]): void {
  const sorted = [...docs].sort((a, b) => a.seq - b.seq);
  let prev = GENESIS_HASH;
  sorted.forEach((d, i) => {
    expect(d.seq).toBe(i + 1);
    expect(d.prevHash).toBe(prev);
    expect(eventHash(chainMaterial(toRecord(d)))).toBe(d.hash);
    prev = d.hash;
  });
}

describe('ChainAppender', () => {
  it('chains a burst in order, in batches', async () => {
    const store = new FakeStore();
    const m = store.model();
    const batchSizes: number[] = [];
    const insert = m.insertMany.bind(m);
    (m as unknown as { insertMany: unknown }).insertMany = (docs: AuditEventDoc[]) => {
      batchSizes.push(docs.length);
      return insert(docs as never);
    };
    const b = new ChainAppender(m, logger);
    const recs = await Promise.all(Array.from({ length: 250 }, (_, i) => b.append(ev(i))));
    expect(batchSizes).toEqual([100, 100, 50]);
    expect(recs.map((r) => r.seq)).toEqual(Array.from({ length: 250 }, (_, i) => i + 1));
    assertChain(store.docs);
  });

  it('keeps the landed prefix when another node takes a seq mid-batch, and re-chains the rest', async () => {
    const store = new FakeStore();
    const a = new ChainAppender(store.model(), logger);
    await a.append(ev(0)); // seq 1, head cached
    const foreign = new ChainAppender(store.model(), logger);
    // Our next batch is seq 2..4; another node lands seq 3 first (chained on our seq 2).
    const realInsert = store.model().insertMany;
    const m = store.model();
    const batchSizes: number[] = [];
    (m as unknown as { insertMany: unknown }).insertMany = async (docs: AuditEventDoc[]) => {
      batchSizes.push(docs.length);
      if (batchSizes.length === 1) {
        store.docs.push(docs[0] as AuditEventDoc);
        await foreign.append(ev(99));
        throw Object.assign(new Error('E11000'), { code: 11000 });
      }
      return realInsert(docs);
    };
    const b = new ChainAppender(m, logger);
    const recs = await Promise.all([b.append(ev(1)), b.append(ev(2)), b.append(ev(3))]);
    expect(batchSizes).toEqual([3, 2]);
    expect(recs.map((r) => r.seq)).toEqual([2, 4, 5]);
    expect(store.docs.find((d) => d.seq === 3)?.target.id).toBe('t99');
    assertChain(store.docs);
  });

  it('rejects the batch with the store error when nothing landed, and recovers after', async () => {
    const store = new FakeStore();
    const a = new ChainAppender(store.model(), logger);
    store.failWith = new Error('store away');
    await expect(a.append(ev(0))).rejects.toThrow('store away');
    store.failWith = null;
    await expect(a.append(ev(1))).resolves.toMatchObject({ seq: 1, prevHash: GENESIS_HASH });
  });
});
