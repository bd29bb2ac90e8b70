import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import mongoose, { type Connection } from 'mongoose';
import { eventHash, payloadDigest, GENESIS_HASH } from '@latchkey/server';
import { startTestApp, type TestApp } from '../harness/app';
import { gqlOk } from '../harness/graphql';
import { createKey, dbOf, DAY, inDays, loginOwner, meOf, servicesOf } from './jobs-helpers';

const { EJSON } = mongoose.mongo.BSON;

interface ArchiveView {
  id: string;
  collection: string;
  keyId: string | null;
  state: string;
  manifest: {
    recordCount: number;
    file: string;
    sha256: string;
    contentSha256: string;
    deletesRecords: boolean;
    auditRange: { fromSeq: number; toSeq: number; prevHash: string; checkpoint: { seq: number; hash: string } } | null;
  };
  integrity: { ok: boolean; problem: string | null };
}
const ARCHIVE_FIELDS =
  'id collection keyId state ' +
  'manifest { recordCount file sha256 contentSha256 deletesRecords auditRange { fromSeq toSeq prevHash checkpoint { seq hash } } } ' +
  'integrity { ok problem }';

/** Archival round trip: archive → read back → records gone; audit copied with a checkpoint (docs/ARCHIVAL.md). */
describe('archival', () => {
  let app: TestApp;
  let owner: string;
  let db: Connection;
  let orgId: string;
  const dir = mkdtempSync(join(tmpdir(), 'lk-archives-'));
  const now = Date.now();

  beforeAll(async () => {
    app = await startTestApp({ env: { ARCHIVE_DIR: dir, ARCHIVE_BATCH_SIZE: '40', ARCHIVE_AUDIT_AFTER_DAYS: '1' } });
    owner = await loginOwner(app);
    db = await dbOf(app);
    orgId = (await meOf(app, owner)).orgId;
  });
  afterAll(async () => {
    await db?.close();
    await app?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const archives = async (collection: string) =>
    (
      await gqlOk<{ archives: { nodes: ArchiveView[] } }>(
        app.url,
        `query($c:String){ archives(collection:$c, first:100){ nodes { ${ARCHIVE_FIELDS} } } }`,
        { c: collection },
        { token: owner },
      )
    ).archives.nodes;

  it('moves request logs and usage detail past retention into verified archives, and only then out of MongoDB', async () => {
    const logs = db.collection('request_logs');
    const old = Array.from({ length: 130 }, (_, i) => ({ orgId, keyId: 'key_a', at: new Date(now - (40 + (i % 2)) * DAY - i * 1000), ip: '198.51.100.1', status: 200, n: i }));
    const otherOrg = Array.from({ length: 5 }, (_, i) => ({ orgId: 'org_other', keyId: 'key_b', at: new Date(now - 45 * DAY + i), status: 200 }));
    const recent = Array.from({ length: 7 }, (_, i) => ({ orgId, keyId: 'key_a', at: new Date(now - DAY + i), status: 200 }));
    await logs.insertMany([...old, ...otherOrg, ...recent]);
    // Rollup rows carry string ids (`keyId:bucketStartMs`), as the usage fold writes them.
    const usage = db.collection<{ _id: string }>('usage_minute');
    await usage.insertMany([
      ...Array.from({ length: 20 }, (_, i) => ({
        _id: `key_a:${now - 10 * DAY + i * 60_000}`,
        orgId,
        keyId: 'key_a',
        bucketStart: new Date(now - 10 * DAY + i * 60_000),
        requests: i,
      })),
      ...Array.from({ length: 3 }, (_, i) => ({
        _id: `key_a:${now - 2 * DAY + i * 60_000}`,
        orgId,
        keyId: 'key_a',
        bucketStart: new Date(now - 2 * DAY + i * 60_000),
        requests: i,
      })),
    ]);
    const oldIds = new Set(old.map((d) => EJSON.stringify((d as unknown as { _id: unknown })._id)));

    const r = await servicesOf(app).archival.run(new Date(now));
    expect(r.busy).toBe(false);
    expect(await logs.countDocuments({ orgId })).toBe(7);
    expect(await logs.countDocuments({ orgId: 'org_other' })).toBe(0);
    expect(await usage.countDocuments({ orgId })).toBe(3);

    const list = await archives('request_logs');
    expect(list.length).toBe(2); // one per organization and UTC day (the old logs span two days)
    expect(list.reduce((n, a) => n + a.manifest.recordCount, 0)).toBe(130);
    for (const a of list) {
      expect(a.state).toBe('complete');
      expect(a.integrity).toEqual({ ok: true, problem: null });
      // Independent check of the manifest against the file on disk.
      const raw = readFileSync(join(dir, 'request_logs', orgId, a.manifest.file));
      expect(createHash('sha256').update(raw).digest('hex')).toBe(a.manifest.sha256);
      const content = gunzipSync(raw);
      expect(createHash('sha256').update(content).digest('hex')).toBe(a.manifest.contentSha256);
      expect(content.toString('utf8').trimEnd().split('\n')).toHaveLength(a.manifest.recordCount);
    }
    // Read back through the API: every archived record, exactly once, with its types.
    const seen: string[] = [];
    for (const a of list) {
      let after: string | null = null;
      for (;;) {
        const q = `query($id:ID!,$a:String){ archive(id:$id){ records(first:50, after:$a){ nodes pageInfo { hasNextPage endCursor } } } }`;
        const page: { archive: { records: { nodes: string[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } } } = await gqlOk(
          app.url,
          q,
          { id: a.id, a: after },
          { token: owner },
        );
        for (const line of page.archive.records.nodes) {
          const doc = EJSON.parse(line) as { _id: unknown; at: unknown; orgId: string };
          expect(doc.at).toBeInstanceOf(Date);
          expect(doc.orgId).toBe(orgId);
          seen.push(EJSON.stringify(doc._id));
        }
        if (!page.archive.records.pageInfo.hasNextPage) break;
        after = page.archive.records.pageInfo.endCursor;
      }
    }
    expect(seen.sort()).toEqual([...oldIds].sort());
    expect((await archives('usage_minute')).reduce((n, a) => n + a.manifest.recordCount, 0)).toBe(20);

    // The HTTP download is the stored file, byte for byte; it needs a credential.
    const a0 = list[0] as ArchiveView;
    const res = await fetch(`${app.url}/v1/archives/${a0.id}`, { headers: { authorization: `Bearer ${owner}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-archive-sha256')).toBe(a0.manifest.sha256);
    expect(createHash('sha256').update(Buffer.from(await res.arrayBuffer())).digest('hex')).toBe(a0.manifest.sha256);
    const manifest = (await (await fetch(`${app.url}/v1/archives/${a0.id}/manifest`, { headers: { authorization: `Bearer ${owner}` } })).json()) as { recordCount: number };
    expect(manifest.recordCount).toBe(a0.manifest.recordCount);
    expect((await fetch(`${app.url}/v1/archives/${a0.id}`)).status).toBe(401);
    expect((await fetch(`${app.url}/v1/archives/arc_0unknown`, { headers: { authorization: `Bearer ${owner}` } })).status).toBe(404);

    // Reruns archive nothing twice; no temp files are left behind.
    const again = await servicesOf(app).archival.run(new Date(now));
    expect(again.archives).toBe(0);
    expect((await archives('request_logs')).length).toBe(2);
    const files = readdirSync(join(dir, 'request_logs', orgId));
    expect(files.filter((f) => f.startsWith('.tmp-'))).toEqual([]);
    expect(files.filter((f) => f.endsWith('.manifest.json'))).toHaveLength(2);
  });

  it('copies audit events with a chain checkpoint; nothing is deleted and the chain verifies over and after the archived range', async () => {
    await createKey(app, owner, { name: 'audited', type: 'user', subtype: 'personal', scopes: ['keys:read'], expiresAt: inDays(30) });
    const events = db.collection('audit_events');
    const before = await events.countDocuments({ orgId });
    // Audit events older than ARCHIVE_AUDIT_AFTER_DAYS (1): look two days ahead.
    await servicesOf(app).archival.run(new Date(now + 2 * DAY));
    expect(await events.countDocuments({ orgId })).toBe(before);
    const [first] = await archives('audit_events');
    expect(first?.manifest.deletesRecords).toBe(false);
    expect(first?.manifest.auditRange).toMatchObject({ fromSeq: 1, toSeq: before, prevHash: GENESIS_HASH });
    const checkpoint = first?.manifest.auditRange?.checkpoint;

    // More events, another run: the next archive continues exactly where the first ended.
    await createKey(app, owner, { name: 'audited-2', type: 'user', subtype: 'personal', scopes: ['keys:read'], expiresAt: inDays(30) });
    await servicesOf(app).archival.run(new Date(now + 2 * DAY));
    const audits = await archives('audit_events');
    expect(audits).toHaveLength(2);
    const second = audits[0];
    expect(second?.manifest.auditRange?.fromSeq).toBe((checkpoint?.seq ?? 0) + 1);
    expect(second?.manifest.auditRange?.prevHash).toBe(checkpoint?.hash);

    // The chain verifies from the start, and from the archive's checkpoint.
    const verify = 'query($f: AuditChainCheckpointInput){ verifyAuditChain(from:$f){ ok checked lastSeq } }';
    expect((await gqlOk<{ verifyAuditChain: { ok: boolean } }>(app.url, verify, {}, { token: owner })).verifyAuditChain.ok).toBe(true);
    const resumed = await gqlOk<{ verifyAuditChain: { ok: boolean; lastSeq: number } }>(app.url, verify, { f: checkpoint }, { token: owner });
    expect(resumed.verifyAuditChain.ok).toBe(true);

    // Offline: the archived lines alone re-verify as a chain from GENESIS to the checkpoint.
    const lines = gunzipSync(readFileSync(join(dir, 'audit_events', orgId, first?.manifest.file ?? ''))).toString('utf8').trimEnd().split('\n');
    let prev = GENESIS_HASH;
    for (const l of lines) {
      const e = JSON.parse(l) as Parameters<typeof eventHash>[0] & {
        id: string;
        hash: string;
        prevHash: string;
        before: Record<string, unknown> | null;
        after: Record<string, unknown> | null;
        payloadDigest: string;
        requestId: string | null;
        ip: string | null;
        userAgent: string | null;
        time: string;
      };
      expect(e.prevHash).toBe(prev);
      expect(payloadDigest(e.before, e.after)).toBe(e.payloadDigest);
      expect(eventHash({ ...e, time: new Date(e.time), meta: { requestId: e.requestId, ip: e.ip, userAgent: e.userAgent } })).toBe(e.hash);
      prev = e.hash;
    }
    expect(prev).toBe(checkpoint?.hash);
  });

  it('archives an expired key’s whole history, leaving other keys’ records', async () => {
    const logs = db.collection('request_logs');
    await logs.insertMany([
      ...Array.from({ length: 9 }, (_, i) => ({ orgId, keyId: 'key_gone', at: new Date(now - i * 60_000), status: 200 })),
      { orgId, keyId: 'key_kept', at: new Date(now), status: 200 },
    ]);
    const r = await servicesOf(app).archival.archiveKeyHistory(orgId, 'key_gone', new Date(now + 1000));
    expect(r.records).toBe(9);
    expect(await logs.countDocuments({ keyId: 'key_gone' })).toBe(0);
    expect(await logs.countDocuments({ keyId: 'key_kept' })).toBe(1);
    const mine = (await archives('request_logs')).filter((a) => a.keyId === 'key_gone');
    expect(mine).toHaveLength(1);
    expect(mine[0]?.manifest.recordCount).toBe(9);
  });

  it('a run left half-done (a `writing` row, temp and data files, no manifest) is undone and redone once', async () => {
    const logs = db.collection('request_logs');
    await logs.insertMany(Array.from({ length: 12 }, (_, i) => ({ orgId, keyId: 'key_c', at: new Date(now - 60 * DAY + i), status: 200 })));
    const id = 'arc_0leftover000000000000';
    const orgDir = join(dir, 'request_logs', orgId);
    writeFileSync(join(orgDir, `.tmp-${id}.ndjson.gz`), 'partial');
    writeFileSync(join(orgDir, `${id}.ndjson.gz`), 'no manifest: never committed');
    await db.collection('archives').insertOne({
      _id: id as never,
      orgId,
      collectionName: 'request_logs',
      keyId: null,
      state: 'writing',
      from: new Date(now - 61 * DAY),
      to: new Date(now - 59 * DAY),
      manifest: null,
      createdAt: new Date(),
      updatedAt: new Date(),
    });
    const r = await servicesOf(app).archival.run(new Date(now));
    expect(r.undone).toBe(1);
    expect(await db.collection('archives').countDocuments({ _id: id as never })).toBe(0);
    expect(readdirSync(orgDir).filter((f) => f.includes(id))).toEqual([]);
    expect(await logs.countDocuments({ keyId: 'key_c' })).toBe(0);
    const redone = await db.collection('archives').find({ 'manifest.collection': 'request_logs', from: new Date(Math.floor((now - 60 * DAY) / DAY) * DAY) }).toArray();
    expect(redone.map((a) => (a.manifest as { recordCount: number }).recordCount)).toEqual([12]);
  });
});
