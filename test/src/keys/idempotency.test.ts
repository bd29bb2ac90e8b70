import type { Connection } from 'mongoose';
import { startTestApp, type TestApp } from '../harness/app';
import { gqlOk } from '../harness/graphql';
import { code, createApp, createKey, createKeyRaw, dbOf, KEY_FIELDS, loginOwner, requestKeyRaw, must } from './key-helpers';

/**
 * createApiKey, requestApiKey and rotateApiKey with an idempotency key: concurrent
 * duplicates make exactly one key, repeats get the first result without the secret,
 * other input under the same key is a CONFLICT.
 */
describe('idempotency', () => {
  let app: TestApp;
  let owner: string;
  let db: Connection;
  let appId: string;

  beforeAll(async () => {
    app = await startTestApp();
    owner = await loginOwner(app);
    db = await dbOf(app);
    appId = await createApp(app, owner, 'idem-app');
  });
  afterAll(async () => {
    await db.close();
    await app.stop();
  });

  const input = (name: string) => ({ name, type: 'application', subtype: 'service', applicationId: appId, scopes: ['keys:read'] });

  it('20 parallel createApiKey calls with one idempotency key create exactly one key', async () => {
    const results = await Promise.all(Array.from({ length: 20 }, () => createKeyRaw(app, owner, input('idem-parallel'), 'idem-parallel-1')));
    for (const r of results) expect(r.errors).toBeUndefined();
    const payloads = results.map((r) => must(r.data).createApiKey);
    const ids = new Set(payloads.map((p) => p.apiKey.id));
    expect(ids.size).toBe(1);
    const withSecret = payloads.filter((p) => p.secret !== null);
    expect(withSecret).toHaveLength(1);
    expect(withSecret[0]?.replayed).toBe(false);
    for (const p of payloads.filter((x) => x.secret === null)) {
      expect(p.replayed).toBe(true);
      expect(p.notice).toMatch(/only once/);
    }
    expect(await db.collection('api_keys').countDocuments({ name: 'idem-parallel' })).toBe(1);
  });

  it('a repeat returns the first key without its secret; other input under the same key is a conflict', async () => {
    const first = await createKeyRaw(app, owner, input('idem-seq'), 'idem-seq-1');
    const again = await createKeyRaw(app, owner, input('idem-seq'), 'idem-seq-1');
    expect(again.data?.createApiKey).toMatchObject({ secret: null, replayed: true, apiKey: { id: first.data?.createApiKey.apiKey.id } });
    const other = await createKeyRaw(app, owner, input('idem-seq-different'), 'idem-seq-1');
    expect(code(other)).toBe('CONFLICT');
    expect(other.errors?.[0]?.message).toContain('different input');
    // A key is scoped to its operation: requestApiKey may reuse the string.
    const req = await requestKeyRaw(app, owner, input('idem-seq-request'), 'idem-seq-1');
    expect(req.errors).toBeUndefined();
  });

  it('a failed first attempt does not consume the idempotency key', async () => {
    const bad = await createKeyRaw(app, owner, { ...input('idem-bad'), expiresAt: new Date(Date.now() - 60_000).toISOString() }, 'idem-bad-1');
    expect(code(bad)).toBe('BAD_USER_INPUT');
    const ok = await createKeyRaw(app, owner, input('idem-bad-fixed'), 'idem-bad-1');
    expect(ok.errors).toBeUndefined();
    expect(ok.data?.createApiKey.secret).toMatch(/^lk_/);
  });

  it('parallel requestApiKey calls make one request', async () => {
    const results = await Promise.all(
      Array.from({ length: 10 }, () => requestKeyRaw(app, owner, { name: 'idem-req', type: 'system', subtype: 'backup', scopes: ['backup:read'] }, 'idem-req-1')),
    );
    for (const r of results) expect(r.errors).toBeUndefined();
    expect(new Set(results.map((r) => must(r.data).requestApiKey.id)).size).toBe(1);
    expect(await db.collection('key_requests').countDocuments({ 'spec.name': 'idem-req' })).toBe(1);
  });

  it('parallel rotateApiKey calls with one idempotency key make one successor', async () => {
    const created = await createKey(app, owner, input('idem-rotate'));
    const ROTATE =
      'mutation($id:ID!,$k:String){ rotateApiKey(id:$id, gracePeriodSeconds:60, idempotencyKey:$k){ ' +
      `apiKey { ${KEY_FIELDS} } previous { id status } secret replayed } }`;
    type Rotated = { rotateApiKey: { apiKey: { id: string }; previous: { id: string; status: string }; secret: string | null } };
    const results = await Promise.all(
      Array.from({ length: 8 }, () => gqlOk<Rotated>(app.url, ROTATE, { id: created.apiKey.id, k: 'rot-1' }, { token: owner })),
    );
    expect(new Set(results.map((r) => r.rotateApiKey.apiKey.id)).size).toBe(1);
    expect(results.filter((r) => r.rotateApiKey.secret !== null)).toHaveLength(1);
    for (const r of results) expect(r.rotateApiKey.previous).toEqual({ id: created.apiKey.id, status: 'rotating' });
    expect(await db.collection('api_keys').countDocuments({ rotatedFromId: created.apiKey.id })).toBe(1);
  });
});
