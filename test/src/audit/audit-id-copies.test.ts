import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import mongoose, { type Connection } from 'mongoose';
import { AuditService, auditEventModel, createLogger, type AuditInput } from '@latchkey/server';
import { backfillAuditIdCopies } from '@latchkey/server/testing';
import { judgeStatement } from '../scale/explain-classifier';

const logger = createLogger({ level: 'silent', name: 'audit-id-copies-test' });
const ev = (orgId: string, i: number): AuditInput => ({
  orgId,
  actor: { type: 'user', id: `usr_${i % 4}` },
  action: 'key.updated',
  target: { type: 'key', id: `key_${i % 10}` },
  after: { i },
});

// An entity's and an actor's history are index ranges on top-level copies of target.id and
// actor.id (the embedded store pushes down top-level fields only); events stored before the
// copies existed get them once at boot.
describe('audit events: top-level actor and target ids', () => {
  const dbName = `audit_ids_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  let conn: Connection;
  let audit: AuditService;
  const raw = () => auditEventModel(conn).collection;

  beforeAll(async () => {
    conn = await mongoose.createConnection(process.env.MONGODB_URI as string, { dbName, autoIndex: false }).asPromise();
    audit = new AuditService(conn, logger);
    await auditEventModel(conn).createIndexes();
  });
  afterAll(async () => {
    await conn.dropDatabase();
    await conn.close();
  });

  it('are written with every event, and a key history is an index range with its sort pushed down', async () => {
    for (let i = 0; i < 40; i++) await audit.append(ev('org_a', i));
    const stored = await raw().findOne({ orgId: 'org_a', seq: 1 });
    expect(stored).toMatchObject({ actorId: 'usr_0', targetId: 'key_0', actor: { id: 'usr_0' }, target: { id: 'key_0' } });

    const page = await audit.list('org_a', { targetId: 'key_3' }, { first: 50 });
    expect(page.nodes.map((n) => n.seq)).toEqual([34, 24, 14, 4]);
    expect((await audit.list('org_a', { actorId: 'usr_1' }, { first: 3 })).nodes.map((n) => n.seq)).toEqual([38, 34, 30]);

    const { verdict, plan } = await judgeStatement(conn.db as never, {
      collection: 'audit_events',
      kind: 'find',
      filter: { orgId: 'org_a', targetId: 'key_3', 'target.id': 'key_3' },
      sort: { seq: -1 },
      limit: 51,
    });
    expect({ verdict, plan }).toMatchObject({ verdict: expect.stringMatching(/^(indexed|point)$/) });
  });

  it('a copy that disagrees with the hashed id never puts a foreign event in a history', async () => {
    await raw().updateOne({ orgId: 'org_a', seq: 2 }, { $set: { targetId: 'key_9' } });
    const page = await audit.list('org_a', { targetId: 'key_9' }, { first: 50 });
    expect(page.nodes.map((n) => n.target.id)).toEqual(['key_9', 'key_9', 'key_9', 'key_9']);
  });

  it('events stored before the copies get them once, and the dotted indexes they replace go', async () => {
    await raw().insertMany(
      [1, 2, 3].map((seq) => ({
        _id: `evt_old_${seq}`, v: 1, orgId: 'org_old', seq, time: new Date(), actor: { type: 'user', id: 'usr_old' }, action: 'key.created',
        target: { type: 'key', id: `key_old_${seq % 2}` }, requestId: null, ip: null, userAgent: null, before: null, after: null,
        payloadDigest: 'x', prevHash: 'x', hash: 'x',
      })) as never,
    );
    await raw().createIndex({ orgId: 1, 'target.id': 1, seq: -1 });
    expect(await audit.list('org_old', { targetId: 'key_old_1' }, { first: 50 })).toMatchObject({ nodes: [] });

    // Two events of org_a carry their copies already; the tampered one is put right too.
    expect(await backfillAuditIdCopies(conn)).toBe(4);
    expect((await audit.list('org_old', { targetId: 'key_old_1' }, { first: 50 })).nodes.map((n) => n.id)).toEqual(['evt_old_3', 'evt_old_1']);
    expect((await audit.list('org_old', { actorId: 'usr_old' }, { first: 50 })).nodes).toHaveLength(3);
    expect((await raw().indexes()).map((i) => i.name)).not.toContain('orgId_1_target.id_1_seq_-1');
    // Once per database.
    await raw().updateOne({ _id: 'evt_old_1' } as never, { $unset: { targetId: '' } });
    expect(await backfillAuditIdCopies(conn)).toBe(0);
  });
});
