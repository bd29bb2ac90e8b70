import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import mongoose, { type Connection } from 'mongoose';
import { startTestApp, type TestApp } from '../harness/app';
import { startNodeProcess, type NodeProcess } from '../harness/node-process';
import { dbOf, DAY, loginOwner, meOf, waitFor } from './jobs-helpers';

const { EJSON } = mongoose.mongo.BSON;

/**
 * A worker process is killed with SIGKILL in the middle of an archival run — once
 * while it writes an archive, once while it deletes archived records — and restarted.
 * Nothing may be lost, no archive may be half-written or counted twice, and the
 * counts must match. Runs the built worker (`npm run build` first).
 */
describe('archival survives SIGKILL', () => {
  let app: TestApp;
  let db: Connection;
  let worker: NodeProcess | undefined;
  const dir = mkdtempSync(join(tmpdir(), 'lk-archives-crash-'));
  const env = {
    ARCHIVE_DIR: dir,
    // Slow enough to be killed mid-way: 20 records per batch, a pause after each.
    ARCHIVE_BATCH_SIZE: '20',
    ARCHIVE_TEST_DELAY_MS: '120',
    ARCHIVAL_EVERY_MS: '1000',
    ARCHIVE_LOCK_TTL_MS: '2000',
  };

  beforeAll(async () => {
    app = await startTestApp({ env: { ARCHIVE_DIR: dir } });
    db = await dbOf(app);
  });
  afterAll(async () => {
    await worker?.stop('SIGKILL');
    await db?.close();
    await app?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** The worker's own output belongs in a failure message. */
  const withOutput = async <T>(p: Promise<T>): Promise<T> => {
    try {
      return await p;
    } catch (e) {
      throw new Error(`${(e as Error).message}\n--- worker output ---\n${worker?.output.join('').slice(-3000) ?? ''}`);
    }
  };

  it('nothing is lost, nothing is archived twice, and every archive verifies after two kills and restarts', async () => {
    const orgId = (await meOf(app, await loginOwner(app))).orgId;
    const logs = db.collection('request_logs');
    const days = 4;
    const perDay = 150;
    const docs = Array.from({ length: days * perDay }, (_, i) => ({
      orgId,
      keyId: 'key_crash',
      at: new Date(Date.now() - (40 + Math.floor(i / perDay)) * DAY + (i % perDay) * 1000),
      n: i,
    }));
    await logs.insertMany(docs);
    const inserted = new Set(docs.map((d) => EJSON.stringify((d as unknown as { _id: unknown })._id)));
    const rows = db.collection('archives');

    // Kill 1: while an archive is being written (a `writing` row exists).
    worker = await startNodeProcess(app, 'jobs', env);
    await withOutput(waitFor(async () => (await rows.countDocuments({ state: 'writing' })) > 0, 'an archive being written', 60_000));
    await worker.stop('SIGKILL');

    // Kill 2: while archived records are being deleted (committed, some records of it still present).
    worker = await startNodeProcess(app, 'jobs', env);
    await withOutput(waitFor(
      async () => {
        const committed = await rows.find({ state: 'committed' }).toArray();
        for (const c of committed) {
          const m = c.manifest as { firstRecordAt: string; lastRecordAt: string; recordCount: number };
          const left = await logs.countDocuments({ orgId, at: { $gte: new Date(m.firstRecordAt), $lte: new Date(m.lastRecordAt) } });
          if (left > 0 && left < m.recordCount) return true;
        }
        return false;
      },
      'an archive whose records are being deleted',
      60_000,
    ));
    await worker.stop('SIGKILL');

    // Restart: the run finishes what was left and archives the rest.
    worker = await startNodeProcess(app, 'jobs', env);
    const allArchived = async () => (await logs.countDocuments({ orgId })) === 0 && (await rows.countDocuments({ state: { $ne: 'complete' } })) === 0;
    await withOutput(waitFor(allArchived, 'every record archived', 90_000));
    await worker.stop('SIGTERM');

    const complete = await rows.find({ orgId, collectionName: 'request_logs' }).toArray();
    const manifests = complete.map((r) => r.manifest as { file: string; recordCount: number });
    expect(manifests.reduce((n, m) => n + m.recordCount, 0)).toBe(days * perDay);
    // Every archived record appears in exactly one archive, and every inserted record is archived.
    const archived: string[] = [];
    for (const m of manifests) {
      const lines = gunzipSync(readFileSync(join(dir, 'request_logs', orgId, m.file))).toString('utf8').trimEnd().split('\n');
      expect(lines).toHaveLength(m.recordCount);
      for (const l of lines) archived.push(EJSON.stringify((EJSON.parse(l) as { _id: unknown })._id));
    }
    expect(archived).toHaveLength(inserted.size);
    expect(new Set(archived)).toEqual(inserted);
    // On disk: one data file and one manifest per archive, no temp or orphaned files.
    const files = readdirSync(join(dir, 'request_logs', orgId));
    expect(files.filter((f) => f.startsWith('.tmp-'))).toEqual([]);
    expect(files.filter((f) => f.endsWith('.manifest.json')).length).toBe(complete.length);
    expect(files.filter((f) => f.endsWith('.ndjson.gz')).length).toBe(complete.length);
  }, 240_000);
});
