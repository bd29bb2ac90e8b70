import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import mongoose, { type Connection } from 'mongoose';
// The audit module directly rather than '@latchkey/server': this suite needs no app, only a store.
import { AuditService, auditEventModel, createLogger, eventHash, type AuditEventDoc, type AuditInput } from '@latchkey/server';
import { AuditResolver, type GraphQLContext } from '@latchkey/server/testing';

const logger = createLogger({ level: 'silent', name: 'audit-test' });
const uri = process.env.MONGODB_URI as string;

function must<T>(v: T | null | undefined): T {
  if (v === null || v === undefined) throw new Error('expected a value');
  return v;
}

function event(orgId: string, i: number, over: Partial<AuditInput> = {}): AuditInput {
  return {
    orgId,
    actor: { type: 'user', id: `usr_${i % 3}` },
    action: i % 2 ? 'key.updated' : 'key.created',
    target: { type: 'key', id: `key_${i % 5}` },
    before: i % 2 ? { name: `k${i - 1}`, scopes: ['keys:read'] } : null,
    after: { name: `k${i}`, n: i, nested: { empty: {}, list: [1, 'two', null], unicode: 'é😀' } },
    meta: { requestId: `req_${i}`, ip: '203.0.113.9', userAgent: 'jest' },
    ...over,
  };
}

describe('audit trail (hash chain on the real store)', () => {
  const db = `audit_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`; // harness/app would load the whole server
  const conns: Connection[] = [];
  let main: Connection;
  let audit: AuditService;

  const connect = async () => {
    const c = await mongoose.createConnection(uri, { dbName: db, autoIndex: false }).asPromise();
    conns.push(c);
    return c;
  };
  const raw = () => auditEventModel(main).collection;

  beforeAll(async () => {
    main = await connect();
    audit = new AuditService(main, logger);
    await auditEventModel(main).createIndexes();
  });
  afterAll(async () => {
    await main.dropDatabase();
    await Promise.all(conns.map((c) => c.close()));
  });

  it('200 concurrent appends to one org leave one unbroken chain numbered 1..200', async () => {
    const recs = await Promise.all(Array.from({ length: 200 }, (_, i) => audit.append(event('org_one', i))));
    expect(new Set(recs.map((r) => r.seq)).size).toBe(200);
    const seqs = (await raw().find({ orgId: 'org_one' }).project({ seq: 1 }).toArray()).map((d) => d.seq as number).sort((a, b) => a - b);
    expect(seqs).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    expect(await audit.verifyChain('org_one')).toMatchObject({ ok: true, checked: 200, lastSeq: 200 });
  });

  it('writers on several nodes racing for the head never fork the chain', async () => {
    // Separate connections and services: the in-process queue cannot help, only the unique index.
    let lostRaces = 0;
    const sink = new Writable({
      write(chunk: Buffer, _enc, cb) {
        if (chunk.toString().includes('lost the race')) lostRaces += 1;
        cb();
      },
    });
    const debug = createLogger({ level: 'debug', name: 'audit-race', destination: sink });
    const nodes = await Promise.all(Array.from({ length: 8 }, async () => new AuditService(await connect(), debug)));
    await Promise.all(nodes.flatMap((n, k) => Array.from({ length: 25 }, (_, i) => n.append(event('org_race', k * 25 + i)))));
    // The compare-and-set path really ran (this burst loses ~100 races), so the result below means something.
    expect(lostRaces).toBeGreaterThan(0);
    const docs = await raw().find({ orgId: 'org_race' }).toArray();
    expect(docs).toHaveLength(200);
    expect(new Set(docs.map((d) => d.seq)).size).toBe(200);
    expect(new Set(docs.map((d) => d.prevHash)).size).toBe(200);
    expect(await audit.verifyChain('org_race')).toMatchObject({ ok: true, checked: 200 });
  }, 60_000);

  it('an edited action is reported at exactly that event', async () => {
    const org = 'org_edit';
    for (let i = 0; i < 10; i += 1) await audit.append(event(org, i));
    const victim = must(await raw().findOne({ orgId: org, seq: 5 }));
    await raw().updateOne({ _id: victim._id }, { $set: { action: 'key.nothing_to_see' } });
    expect(await audit.verifyChain(org)).toMatchObject({ ok: false, firstBrokenSeq: 5, firstBrokenId: victim._id, checked: 4, lastSeq: 4 });
  });

  it('an edited payload is reported through its digest', async () => {
    const org = 'org_payload';
    for (let i = 0; i < 4; i += 1) await audit.append(event(org, i));
    await raw().updateOne({ orgId: org, seq: 3 }, { $set: { 'after.name': 'forged' } });
    const v = await audit.verifyChain(org);
    expect(v).toMatchObject({ ok: false, firstBrokenSeq: 3 });
    expect(v.reason).toMatch(/payloadDigest/);
  });

  it('re-hashing an edited event does not hide it: the next link breaks', async () => {
    const org = 'org_rehash';
    for (let i = 0; i < 4; i += 1) await audit.append(event(org, i));
    const d = must(await auditEventModel(main).findOne({ orgId: org, seq: 2 }).lean<AuditEventDoc>());
    const hash = eventHash({
      v: d.v, orgId: org, seq: 2, prevHash: d.prevHash, id: d._id, time: d.time, actor: d.actor, action: 'key.forged',
      target: d.target, meta: { requestId: d.requestId, ip: d.ip, userAgent: d.userAgent }, payloadDigest: d.payloadDigest,
    });
    await raw().updateOne({ _id: d._id as never }, { $set: { action: 'key.forged', hash } });
    expect(await audit.verifyChain(org)).toMatchObject({ ok: false, firstBrokenSeq: 3, reason: expect.stringMatching(/prevHash/) });
  });

  it('a deleted event is reported as missing', async () => {
    const org = 'org_delete';
    for (let i = 0; i < 10; i += 1) await audit.append(event(org, i));
    await raw().deleteOne({ orgId: org, seq: 7 });
    const v = await audit.verifyChain(org);
    expect(v).toMatchObject({ ok: false, firstBrokenSeq: 7, checked: 6 });
    expect(v.firstBrokenId).toBeUndefined();
    expect(v.reason).toMatch(/missing/);
    // Deleting the very first event is caught too.
    await raw().deleteOne({ orgId: org, seq: 1 });
    expect(await audit.verifyChain(org)).toMatchObject({ ok: false, firstBrokenSeq: 1, checked: 0 });
  });

  it('two organizations keep independent chains', async () => {
    await Promise.all(Array.from({ length: 40 }, (_, i) => audit.append(event(i % 2 ? 'org_a' : 'org_b', i))));
    const a = await audit.verifyChain('org_a');
    const b = await audit.verifyChain('org_b');
    expect(a).toMatchObject({ ok: true, checked: 20 });
    expect(b).toMatchObject({ ok: true, checked: 20 });
    expect(a.lastHash).not.toBe(b.lastHash);
    await raw().updateOne({ orgId: 'org_a', seq: 3 }, { $set: { action: 'x.y' } });
    expect((await audit.verifyChain('org_a')).ok).toBe(false);
    expect((await audit.verifyChain('org_b')).ok).toBe(true);
  });

  it('never stores secrets from before/after', async () => {
    const rec = await audit.append(
      event('org_secret', 0, {
        before: { name: 'k', keyHash: 'SECRET-1', wrappedKey: 'SECRET-2' },
        after: {
          name: 'k',
          ciphertext: 'SECRET-3',
          owner: { password: 'SECRET-4', passwordHash: 'SECRET-5' },
          tokens: [{ token: 'SECRET-6', tokenHash: 'SECRET-7' }],
          secret: 'SECRET-8',
          hash: 'SECRET-9',
        },
      }),
    );
    expect(rec.after).toEqual({ name: 'k', owner: {}, tokens: [{}] });
    const stored = await raw().findOne({ _id: rec.id as never });
    expect(JSON.stringify(stored)).not.toMatch(/SECRET-/);
    expect((await audit.verifyChain('org_secret')).ok).toBe(true);
  });

  it('refuses a runaway payload or a malformed event without touching the chain', async () => {
    await expect(audit.append(event('org_bad', 0, { after: { blob: 'x'.repeat(300_000) } }))).rejects.toThrow(/bytes/);
    await expect(audit.append(event('org_bad', 0, { action: '' }))).rejects.toThrow(/action/);
    await expect(audit.append(event('org_bad', 0, { actor: { type: 'robot' as never, id: 'r' } }))).rejects.toThrow(/actor/);
    expect(await raw().countDocuments({ orgId: 'org_bad' })).toBe(0);
    await expect(audit.append(event('org_bad', 1))).resolves.toMatchObject({ seq: 1 });
  });

  it('verification resumes from a checkpoint, and a wrong checkpoint is caught', async () => {
    const head = must((await audit.list('org_one', {}, { first: 1 })).nodes[0]); // seq 200
    const at100 = must(await raw().findOne({ orgId: 'org_one', seq: 100 }));
    expect(await audit.verifyChain('org_one', { from: { seq: 100, hash: at100.hash as string } })).toMatchObject({ ok: true, checked: 100, lastSeq: 200, lastHash: head.hash });
    expect(await audit.verifyChain('org_one', { from: { seq: 100, hash: 'f'.repeat(64) } })).toMatchObject({ ok: false, firstBrokenSeq: 101 });
  });

  it('lists newest first with filters and cursor pagination', async () => {
    const seen: number[] = [];
    let after: string | null = null;
    for (;;) {
      const page: Awaited<ReturnType<AuditService['list']>> = await audit.list('org_one', { actorId: 'usr_1' }, { first: 7, after });
      seen.push(...page.nodes.map((n) => n.seq));
      expect(page.nodes.every((n) => n.actor.id === 'usr_1' && n.orgId === 'org_one')).toBe(true);
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(seen).toHaveLength(67); // i % 3 === 1 for i in 0..199
    expect(seen).toEqual([...seen].sort((a, b) => b - a));

    const byTarget = await audit.list('org_one', { targetType: 'key', targetId: 'key_2', action: 'key.created' }, { first: 200 });
    expect(byTarget.nodes.length).toBe(20);
    expect(byTarget.nodes.every((n) => n.target.id === 'key_2' && n.action === 'key.created')).toBe(true);

    const all = (await audit.list('org_one', {}, { first: 200 })).nodes;
    const t = must(all[49]).time;
    const recent = await audit.list('org_one', { from: t }, { first: 200 });
    expect(recent.nodes.every((n) => n.time.getTime() >= t.getTime())).toBe(true);
    expect(recent.nodes.length).toBeGreaterThanOrEqual(50);
    const older = await audit.list('org_one', { to: t }, { first: 200 });
    expect(recent.nodes.length + older.nodes.length).toBe(200);

    await expect(audit.list('org_one', {}, { first: 201 })).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
    await expect(audit.list('org_one', {}, { after: 'bm9wZQ' })).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
    await expect(audit.list('org_one', { from: t, to: t }, {})).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
  });

  it('exports NDJSON and CSV in chain order, and refuses oversized exports', async () => {
    const nd = await audit.exportToString('org_race', 'NDJSON');
    const lines = nd.trimEnd().split('\n').map((l) => JSON.parse(l) as { seq: number; hash: string; prevHash: string });
    expect(lines.map((l) => l.seq)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    for (let i = 1; i < lines.length; i += 1) expect(must(lines[i]).prevHash).toBe(must(lines[i - 1]).hash);

    const csv = await audit.exportToString('org_race', 'CSV', { action: 'key.created' });
    const rows = csv.trimEnd().split('\r\n');
    expect(rows[0]).toBe('seq,id,time,actorType,actorId,action,targetType,targetId,requestId,ip,userAgent,before,after,payloadDigest,prevHash,hash');
    expect(rows).toHaveLength(101);
    expect(rows[1]).toContain(',key.created,');

    await expect(audit.exportToString('org_race', 'CSV', {}, 10)).rejects.toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
  });

  it('the resolvers read only the caller’s own organization', async () => {
    const ctx = { principal: { kind: 'user', id: 'usr_x', orgId: 'org_b', scopes: ['audit:read', 'audit:export'], isPlatformAdmin: false } } as unknown as GraphQLContext;
    const r = new AuditResolver(audit);
    const page = await r.auditEvents({ first: 50, filter: undefined, after: null }, ctx);
    const own = await audit.list('org_b', {}, { first: 200 });
    expect(page.nodes.map((n) => n.id)).toEqual(own.nodes.map((n) => n.id));
    expect(page.nodes).toHaveLength(20);
    expect(await r.verifyAuditChain({}, ctx)).toMatchObject({ ok: true, checked: 20 });
    const nd = await r.auditExport({ format: 'NDJSON', filter: { targetId: 'key_0' } }, ctx);
    expect(nd.trimEnd().split('\n').every((l) => (JSON.parse(l) as { orgId: string }).orgId === 'org_b')).toBe(true);
  });
});
