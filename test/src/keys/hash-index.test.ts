import { randomBytes } from 'node:crypto';
import type { Connection } from 'mongoose';
import { startTestApp, type TestApp } from '../harness/app';
import { gql } from '../harness/graphql';
import { code, createKey, dbOf, must } from './key-helpers';
import { appId, verifierSetup, verifyHttp } from '../verify/verify-helpers';
import { monitoredMongoUri, watchCommands } from '../security/security-helpers';
import { backfillKeyHashIndex, ORPHAN_TAKEOVER_MS } from '@latchkey/server/testing';

const CREATE = 'mutation($i: CreateApiKeyInput!){ createApiKey(input:$i){ apiKey { id } secret } }';
const customValue = () => `imp_${randomBytes(24).toString('base64url').replace(/[-_]/g, 'x')}`;

/**
 * The verify path finds keys through `api_key_hashes` (hash as `_id`), never by a scan
 * of `api_keys` (docs/KEYS.md, "Hash index"). Entries are written before the key, the
 * verify path compares the key's own hash, and stale orphans can be taken over.
 */
describe('key hash index', () => {
  let app: TestApp;
  let db: Connection;
  let owner: string;
  let verifier: string;
  let application: string;

  beforeAll(async () => {
    app = await startTestApp({ env: { MONGODB_URI: monitoredMongoUri(), VERIFY_CACHE_TTL_MS: '0' } });
    db = await dbOf(app);
    ({ token: owner, verifier } = await verifierSetup(app));
    application = await appId(app, owner);
  }, 60_000);
  afterAll(async () => {
    await db?.close();
    await app?.stop();
  });

  const svc = (extra: Record<string, unknown> = {}) => ({
    name: `hi-${Math.random().toString(36).slice(2, 8)}`,
    type: 'application',
    subtype: 'service',
    applicationId: application,
    permissionLevel: 'custom',
    scopes: ['applications:read'],
    ...extra,
  });
  const entries = () => db.collection<{ _id: string; keyId: string }>('api_key_hashes');

  it('a cache miss reads the index and the key by _id only: no filter FerretDB would scan', async () => {
    const k = await createKey(app, owner, svc());
    const cmds = watchCommands(app);
    try {
      expect((await verifyHttp(app, verifier, { key: k.secret })).body.code).toBe('VALID');
      const reads = cmds.commands.filter((c) => c.name === 'find' && (c.collection === 'api_keys' || c.collection === 'api_key_hashes'));
      expect(reads.length).toBeGreaterThanOrEqual(2);
      for (const r of reads) expect(r.filterKeys).toEqual(['_id']);
    } finally {
      cmds.stop();
    }
  });

  it('every created key has its entry; an entry whose key no longer carries the hash answers NOT_FOUND', async () => {
    const k = await createKey(app, owner, svc());
    const entry = must(await entries().findOne({ keyId: k.apiKey.id }));
    // Point the entry at another key: the verify path compares that key's hash.
    const other = await createKey(app, owner, svc());
    await entries().updateOne({ _id: entry._id }, { $set: { keyId: other.apiKey.id } });
    expect((await verifyHttp(app, verifier, { key: k.secret })).body.code).toBe('NOT_FOUND');
    await entries().updateOne({ _id: entry._id }, { $set: { keyId: k.apiKey.id } });
    expect((await verifyHttp(app, verifier, { key: k.secret })).body.code).toBe('VALID');
  });

  it('the boot backfill indexes keys stored before the index existed, once', async () => {
    const k = await createKey(app, owner, svc());
    await entries().deleteMany({ keyId: k.apiKey.id });
    expect((await verifyHttp(app, verifier, { key: k.secret })).body.code).toBe('NOT_FOUND');
    await db.collection('schema_migrations').deleteOne({ _id: 'api_key_hashes:v1' as never });
    expect(await backfillKeyHashIndex(app.server.services.mongo.conn)).toBe(1);
    expect(await backfillKeyHashIndex(app.server.services.mongo.conn)).toBe(0);
    expect((await verifyHttp(app, verifier, { key: k.secret })).body.code).toBe('VALID');
  });

  it('an imported value already in use is refused; a stale orphan entry is taken over, a fresh one is not', async () => {
    const value = customValue();
    await createKey(app, owner, svc({ customKey: value }));
    expect(code(await gql(app.url, CREATE, { i: svc({ customKey: value }) }, { token: owner }))).toBe('CONFLICT');

    // An orphan: the entry of a value whose key was never written (a crash in between).
    const orphaned = customValue();
    const hash = app.server.services.verify.hashOf(orphaned);
    await entries().insertOne({ _id: hash, keyId: 'key_neverwritten0000000', orgId: 'org_x', createdAt: new Date() } as never);
    expect(code(await gql(app.url, CREATE, { i: svc({ customKey: orphaned }) }, { token: owner }))).toBe('CONFLICT');
    await entries().updateOne({ _id: hash }, { $set: { createdAt: new Date(Date.now() - ORPHAN_TAKEOVER_MS - 1_000) } });
    const taken = await createKey(app, owner, svc({ customKey: orphaned }));
    expect((await entries().findOne({ _id: hash }))?.keyId).toBe(taken.apiKey.id);
    expect((await verifyHttp(app, verifier, { key: orphaned })).body.code).toBe('VALID');
  });
});
