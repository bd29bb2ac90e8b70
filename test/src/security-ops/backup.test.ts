import { copyFileSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mongoose, { type Connection } from 'mongoose';
import { BackupRejected, checkBackup, createBackup, loadConfig, nonEmptyCollections, restoreFromBackup, type Config } from '@latchkey/server';
import { startTestApp, uniqueName, type TestApp } from '../harness/app';
import { gqlOk } from '../harness/graphql';
import { loginOwner } from '../keys/key-helpers';
import { serviceKey, verifierSetup, verifyHttp } from '../verify/verify-helpers';
import { verifyChain } from './security-helpers';

jest.setTimeout(180_000);

async function connect(db: string): Promise<Connection> {
  const conn = mongoose.createConnection(process.env.MONGODB_URI as string, { dbName: db, serverSelectionTimeoutMS: 10_000 });
  await conn.asPromise();
  return conn;
}

/** A copy of the backup with one byte flipped at `at` (negative: from the end). */
function tampered(file: string, at: number): string {
  const copy = `${file}.tampered${at}`;
  copyFileSync(file, copy);
  const buf = readFileSync(copy);
  const i = at < 0 ? buf.length + at : at;
  buf[i] = (buf[i] ?? 0) ^ 0x01;
  writeFileSync(copy, buf);
  return copy;
}

describe('backup → wipe → restore', () => {
  const db = uniqueName('lkt_bak');
  const dir = mkdtempSync(join(tmpdir(), 'lk-backup-'));
  const file = join(dir, 'platform.lkbak');
  let app: TestApp;
  let config: Config;
  let verifier: string;
  const keys: { secret: string; code: string }[] = [];

  beforeAll(async () => {
    app = await startTestApp({ db });
    config = app.config;
    const s = await verifierSetup(app);
    verifier = s.verifier;
    for (let i = 0; i < 3; i++) keys.push({ ...(await serviceKey(app, s.token)), code: 'VALID' });
    const revoked = await serviceKey(app, s.token);
    await gqlOk(app.url, 'mutation($id: ID!){ revokeApiKey(id:$id, reason:"test"){ id } }', { id: revoked.id }, { token: s.token });
    keys.push({ ...revoked, code: 'REVOKED' });
    for (const k of keys) expect((await verifyHttp(app, verifier, { key: k.secret })).body.code).toBe(k.code);
    expect((await verifyChain(app, s.token)).ok).toBe(true);

    const r = await createBackup(app.server.services.mongo.conn, config, { file, scope: { kind: 'all' }, serverVersion: 'test' });
    expect(r.manifest.documents).toBeGreaterThan(10);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    await app.stop();
    const conn = await connect(db);
    await conn.dropDatabase();
    await conn.close();
  });

  it('holds no secret in the clear', () => {
    const bytes = readFileSync(file);
    for (const k of keys) expect(bytes.includes(Buffer.from(k.secret))).toBe(false);
    expect(bytes.includes(Buffer.from('owner@example.test'))).toBe(false);
  });

  it('refuses a tampered, truncated or wrongly keyed backup and writes nothing', async () => {
    const conn = await connect(db);
    try {
      const size = statSync(file).size;
      for (const bad of [tampered(file, Math.floor(size / 2)), tampered(file, -3), tampered(file, 20)]) {
        await expect(restoreFromBackup(conn, bad, config)).rejects.toThrow(BackupRejected);
        expect(await nonEmptyCollections(conn.db as never)).toEqual([]);
      }
      const truncated = `${file}.truncated`;
      writeFileSync(truncated, readFileSync(file).subarray(0, size - 100));
      await expect(restoreFromBackup(conn, truncated, config)).rejects.toThrow(/integrity check failed|truncated|manifest/);
      const otherKek = loadConfig({ ...process.env, LATCHKEY_KEK: Buffer.alloc(32, 7).toString('base64'), LATCHKEY_KEK_ID: config.LATCHKEY_KEK_ID });
      await expect(restoreFromBackup(conn, file, otherKek)).rejects.toThrow(/integrity check failed.*nothing was restored/);
      const withPassphrase = loadConfig({ ...process.env, LATCHKEY_BACKUP_PASSPHRASE: 'a passphrase nobody used here' });
      // The header says KEK: the passphrase is not needed, and the backup checks out whole.
      await expect(checkBackup(file, withPassphrase)).resolves.toMatchObject({ header: { scope: { kind: 'all' } } });
      expect(await nonEmptyCollections(conn.db as never)).toEqual([]);
    } finally {
      await conn.close();
    }
  });

  it('restores into the empty database: every key verifies as before and the audit chain passes', async () => {
    const conn = await connect(db);
    try {
      const r = await restoreFromBackup(conn, file, config);
      expect(r.header.scope).toEqual({ kind: 'all' });
      // A second restore is refused: the database is no longer empty.
      await expect(restoreFromBackup(conn, file, config)).rejects.toThrow(/not empty/);
    } finally {
      await conn.close();
    }
    const restored = await startTestApp({ db });
    try {
      for (const k of keys) expect((await verifyHttp(restored, verifier, { key: k.secret })).body.code).toBe(k.code);
      const token = await loginOwner(restored);
      const chain = await verifyChain(restored, token);
      expect(chain).toMatchObject({ ok: true });
      expect(chain.checked).toBeGreaterThan(5);
    } finally {
      await restored.stop();
    }
  });

  it('encrypts with LATCHKEY_BACKUP_PASSPHRASE when set, and an organization backup holds only that organization', async () => {
    const source = await startTestApp();
    try {
      const orgId = (await gqlOk<{ organization: { id: string } }>(source.url, '{ organization { id } }', {}, { token: await loginOwner(source) })).organization.id;
      const pp = loadConfig({ ...process.env, LATCHKEY_BACKUP_PASSPHRASE: 'correct battery horse staple backup' });
      const orgFile = join(dir, 'org.lkbak');
      await createBackup(source.server.services.mongo.conn, pp, { file: orgFile, scope: { kind: 'organization', orgId }, serverVersion: 'test' });
      await expect(checkBackup(orgFile, config)).rejects.toThrow(/LATCHKEY_BACKUP_PASSPHRASE/);
      const wrong = loadConfig({ ...process.env, LATCHKEY_BACKUP_PASSPHRASE: 'a different passphrase entirely' });
      await expect(checkBackup(orgFile, wrong)).rejects.toThrow(/integrity check failed/);
      const v = await checkBackup(orgFile, pp);
      expect(v.header.scope).toEqual({ kind: 'organization', orgId });
      expect(v.manifest.collections.map((c) => c.name)).toEqual(expect.arrayContaining(['audit_events', 'organizations', 'roles', 'users']));
      expect(v.manifest.collections.map((c) => c.name)).not.toContain('sessions');
    } finally {
      await source.stop();
    }
  });
});
