import { randomBytes } from 'node:crypto';
import type { Connection } from 'mongoose';
import { Latchkey } from '@latchkey/sdk';
import { startTestApp, type TestApp } from '../harness/app';
import { CommandMonitor, monitoredMongoUri } from '../harness/command-monitor';
import { gql, gqlOk, type GqlResult } from '../harness/graphql';
import { classify, FAILING } from '../scale/explain-classifier';
import { verifierSetup, verifyHttp } from '../verify/verify-helpers';
import { code, createApp, createKey, customValue, dbOf, must } from './key-helpers';

/**
 * importApiKeys (docs/KEY-IMPORT.md): 1,000 keys per call, generated or with values from
 * another system; idempotent per item and per call; one result per item; one audit
 * event per key created.
 */
interface ImportResult {
  index: number;
  ok: boolean;
  existing: boolean;
  externalId: string | null;
  secret: string | null;
  apiKey: { id: string; name: string; custom: boolean; status: string } | null;
  error: { code: string; message: string; field: string | null; approvalsRequired: number | null } | null;
}
interface ImportPayload {
  results: ImportResult[];
  created: number;
  existing: number;
  failed: number;
  replayed: boolean;
  notice: string | null;
}

const IMPORT = `mutation($i: ImportApiKeysInput!, $k: String){ importApiKeys(input:$i, idempotencyKey:$k){
  results { index ok existing externalId secret apiKey { id name custom status } error { code message field approvalsRequired } }
  created existing failed replayed notice } }`;

/** A value the way another system might have minted it (a label, then 40 random base62 characters). */
function foreignSecret(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  const bytes = randomBytes(40);
  return `sk_live_${[...bytes].map((b) => alphabet[b % 62]).join('')}`;
}

describe('importApiKeys', () => {
  let app: TestApp;
  let owner: string;
  let verifier: string;
  let db: Connection;
  let appId: string;

  beforeAll(async () => {
    // Commands are recorded (for the no-scan test) only on connections opened with monitoring on.
    app = await startTestApp({ env: { MONGODB_URI: monitoredMongoUri(process.env.MONGODB_URI ?? 'mongodb://127.0.0.1:27017/') } });
    ({ token: owner, verifier } = await verifierSetup(app));
    db = await dbOf(app);
    appId = await createApp(app, owner, 'import-target');
  });
  afterAll(async () => {
    await db.close();
    await app.stop();
  });

  const importRaw = (keys: Record<string, unknown>[], idempotencyKey?: string, token = owner): Promise<GqlResult<{ importApiKeys: ImportPayload }>> =>
    gql<{ importApiKeys: ImportPayload }>(app.url, IMPORT, { i: { keys }, k: idempotencyKey ?? null }, { token });
  const importOk = async (keys: Record<string, unknown>[], idempotencyKey?: string): Promise<ImportPayload> => {
    const r = await importRaw(keys, idempotencyKey);
    expect(r.errors).toBeUndefined();
    return must(r.data, 'data').importApiKeys;
  };
  const item = (name: string, extra: Record<string, unknown> = {}) => ({ name, type: 'application', subtype: 'service', applicationId: appId, scopes: ['keys:read'], ...extra });
  const auditCount = (keyIds: string[]) => db.collection('audit_events').countDocuments({ action: 'key.created', 'target.id': { $in: keyIds } });

  it('1,000 generated keys in one call: each comes back with its secret, verifies, and has one audit event', async () => {
    const items = Array.from({ length: 1000 }, (_, i) => item(`bulk-${i}`));
    const started = performance.now();
    const out = await importOk(items);
    const ms = performance.now() - started;
    process.stdout.write(`importApiKeys: 1,000 generated keys in ${Math.round(ms)} ms on the embedded store\n`);
    expect(out).toMatchObject({ created: 1000, existing: 0, failed: 0, replayed: false });
    expect(out.results.map((r) => r.index)).toEqual(items.map((_, i) => i));
    for (const r of out.results) {
      expect(r).toMatchObject({ ok: true, existing: false, error: null });
      expect(r.secret).toMatch(/^lk_prd_/);
    }
    const ids = out.results.map((r) => must(r.apiKey).id);
    expect(new Set(ids).size).toBe(1000);
    expect(await auditCount(ids)).toBe(1000);
    for (const r of out.results) {
      const v = await verifyHttp(app, verifier, { key: r.secret });
      expect(v.body).toMatchObject({ valid: true, code: 'VALID', keyId: r.apiKey?.id });
    }
  }, 180_000);

  it('an imported foreign value verifies on POST /v1/keys/verify and as a Bearer key on /graphql, even right after it was tried as junk', async () => {
    const secret = foreignSecret();
    // Tried before it exists: NOT_FOUND, and the answer is cached negatively on this node.
    expect((await verifyHttp(app, verifier, { key: secret })).body.code).toBe('NOT_FOUND');
    const out = await importOk([item('foreign-1', { secret, externalId: 'old-system-1' })]);
    const r = must(out.results[0]);
    expect(r).toMatchObject({ ok: true, existing: false, externalId: 'old-system-1', secret: null, apiKey: { custom: true, status: 'active' } });
    // The import dropped that negative entry: the value works at once.
    expect((await verifyHttp(app, verifier, { key: secret })).body).toMatchObject({ valid: true, keyId: r.apiKey?.id });
    const me = await gqlOk<{ apiKey: { id: string } }>(app.url, 'query($id:ID!){ apiKey(id:$id){ id } }', { id: r.apiKey?.id }, { token: secret });
    expect(me.apiKey.id).toBe(r.apiKey?.id);
    // Not ours and not imported: still one answer each, as before.
    expect((await verifyHttp(app, verifier, { key: foreignSecret() })).body.code).toBe('NOT_FOUND');
    expect((await verifyHttp(app, verifier, { key: `lk_prd_${'A'.repeat(49)}` })).body.code).toBe('MALFORMED');
  });

  it('importing the same item again returns the existing key and writes no second audit event', async () => {
    const secret = foreignSecret();
    const bothSecret = foreignSecret();
    const first = await importOk([
      item('again-value', { secret }),
      item('again-generated', { externalId: 'gen-1' }),
      item('again-both', { secret: bothSecret, externalId: 'both-1' }),
    ]);
    expect(first.created).toBe(3);
    const ids = first.results.map((r) => must(r.apiKey).id);
    const both = must(first.results[2]);

    const again = await importOk([item('again-value', { secret }), item('again-generated', { externalId: 'gen-1' }), item('renamed', { externalId: 'both-1' })]);
    expect(again).toMatchObject({ created: 0, existing: 3, failed: 0 });
    expect(again.results.map((r) => r.apiKey?.id)).toEqual(ids);
    for (const r of again.results) expect(r).toMatchObject({ ok: true, existing: true, secret: null });
    expect(await auditCount(ids)).toBe(3);

    // The same externalId with another value, or a value already imported under another externalId: per-item conflicts.
    const clash = await importOk([item('clash-1', { externalId: 'both-1', secret: foreignSecret() }), item('clash-2', { externalId: 'other-id', secret: bothSecret })]);
    expect(clash.results.map((r) => r.error?.code)).toEqual(['CONFLICT', 'CONFLICT']);
    expect(clash.results[0]?.error?.message).toContain(both.apiKey?.id);
    expect(clash.results[1]?.error?.message).toContain('both-1');
    // A value imported without an externalId takes the first one it is given; from then on the externalId alone finds it.
    const named = await importOk([item('attach', { externalId: 'late-id', secret })]);
    expect(named.results[0]).toMatchObject({ ok: true, existing: true, apiKey: { id: ids[0] } });
    expect((await importOk([item('by-id-only', { externalId: 'late-id' })])).results[0]).toMatchObject({ existing: true, apiKey: { id: ids[0] } });
    // Within one call, a repeated item is answered once.
    const twice = await importOk([item('twice', { externalId: 'twice-1' }), item('twice', { externalId: 'twice-1' })]);
    expect(twice).toMatchObject({ created: 1, existing: 1 });
    expect(twice.results[1]?.apiKey?.id).toBe(twice.results[0]?.apiKey?.id);
    expect(await db.collection('api_keys').countDocuments({ name: { $in: ['clash-1', 'clash-2', 'renamed', 'attach', 'by-id-only'] } })).toBe(0);
  });

  it('a repeated idempotency key answers the same results without the secrets; other input under it is a conflict', async () => {
    const items = [item('idem-a'), item('idem-b', { secret: foreignSecret() }), item('idem-bad', { subtype: 'nope' })];
    const first = await importOk(items, 'import-idem-1');
    expect(first).toMatchObject({ created: 2, failed: 1, replayed: false });
    const again = await importOk(items, 'import-idem-1');
    expect(again).toMatchObject({ created: 2, failed: 1, replayed: true });
    expect(again.notice).toMatch(/only once/);
    expect(again.results.map((r) => [r.ok, r.apiKey?.id ?? null, r.error?.code ?? null])).toEqual(first.results.map((r) => [r.ok, r.apiKey?.id ?? null, r.error?.code ?? null]));
    for (const r of again.results) expect(r.secret).toBeNull();
    expect(await db.collection('api_keys').countDocuments({ name: { $in: ['idem-a', 'idem-b'] } })).toBe(2);
    expect(code(await importRaw([item('idem-other')], 'import-idem-1'))).toBe('CONFLICT');
  });

  it('bad items get their own typed error and leave no trace; the good ones are imported', async () => {
    const good = foreignSecret();
    const out = await importOk([
      item('mixed-good', { secret: good, externalId: 'mixed-1' }),
      item('mixed-weak', { secret: 'password-password-password-12345678' }),
      item('mixed-short', { secret: 'abc123' }),
      item('mixed-ours', { secret: `lk_prd_${customValue().slice(4)}` }),
      item('mixed-session', { secret: `lks_${customValue()}` }),
      item('mixed-subtype', { subtype: 'nope' }),
      item('mixed-expired', { expiresAt: new Date(Date.now() - 60_000).toISOString() }),
      item('mixed-approval', { type: 'system', subtype: 'integration', applicationId: undefined }),
      item('mixed-generated', { externalId: null, secret: null, customKey: null }),
      item('mixed-both', { secret: foreignSecret(), customKey: foreignSecret() }),
    ]);
    const byName = (i: number) => must(out.results[i]);
    expect(out).toMatchObject({ created: 2, failed: 8 });
    expect(byName(0)).toMatchObject({ ok: true, apiKey: { name: 'mixed-good' } });
    expect(byName(8)).toMatchObject({ ok: true, apiKey: { name: 'mixed-generated' } });
    expect(byName(8).secret).toMatch(/^lk_prd_/);
    for (const i of [1, 2, 3, 4]) expect(byName(i).error).toMatchObject({ code: 'BAD_USER_INPUT', field: 'secret' });
    expect(byName(1).error?.message).toMatch(/common words/);
    expect(byName(5).error).toMatchObject({ code: 'BAD_USER_INPUT', field: 'subtype' });
    expect(byName(6).error).toMatchObject({ code: 'BAD_USER_INPUT', field: 'expiresAt' });
    expect(byName(7).error).toMatchObject({ code: 'FORBIDDEN', approvalsRequired: 1 });
    expect(byName(9).error).toMatchObject({ code: 'BAD_USER_INPUT', field: 'secret' });
    const names = ['weak', 'short', 'ours', 'session', 'subtype', 'expired', 'approval', 'both'].map((n) => `mixed-${n}`);
    expect(await db.collection('api_keys').countDocuments({ name: { $in: names } })).toBe(0);
    expect((await verifyHttp(app, verifier, { key: good })).body.code).toBe('VALID');
  });

  it('reads only by _id or an index range and writes each collection in one insert: no collection scan', async () => {
    const monitor = new CommandMonitor(app.server.services.mongo.conn.getClient());
    const items = [
      ...Array.from({ length: 150 }, (_, i) => item(`scan-gen-${i}`, { externalId: `scan-${i}` })),
      ...Array.from({ length: 50 }, (_, i) => item(`scan-value-${i}`, { secret: foreignSecret() })),
      ...Array.from({ length: 50 }, (_, i) => item(`scan-plain-${i}`)),
    ];
    try {
      expect((await monitor.during('import', () => importOk(items, 'scan-check'))).created).toBe(250);
      expect((await monitor.during('import again', () => importOk(items.slice(0, 200)))).existing).toBe(200);
      expect((await monitor.during('import replay', () => importOk(items, 'scan-check'))).replayed).toBe(true);
    } finally {
      monitor.detach();
    }
    const inserts = (source: string, collection: string) => monitor.records.filter((r) => r.source === source && r.name === 'insert' && r.collection === collection).length;
    for (const c of ['api_key_import_refs', 'api_key_hashes', 'api_keys']) expect([c, inserts('import', c)]).toEqual([c, 1]);
    for (const source of ['import again', 'import replay']) expect([source, inserts(source, 'api_keys')]).toEqual([source, 0]);
    const findings = await classify(app.server.services.mongo.conn.getClient().db(app.config.MONGODB_DB), monitor.records);
    expect(findings.filter((f) => FAILING.includes(f.verdict)).map((f) => `${f.shape}: ${f.plan}`)).toEqual([]);
  }, 120_000);

  it('more than 1,000 items is refused as a whole, and nothing is written', async () => {
    const r = await importRaw(Array.from({ length: 1001 }, (_, i) => item(`over-${i}`)));
    expect(code(r)).toBe('BAD_USER_INPUT');
    expect(r.errors?.[0]?.extensions).toMatchObject({ maxItems: 1000, fields: [{ path: ['input', 'keys'] }] });
    expect(await db.collection('api_keys').countDocuments({ name: 'over-0' })).toBe(0);
  });

  it('the SDK imports through client.keys.import with the same per-item results', async () => {
    const client = new Latchkey({ apiKey: owner, baseUrl: app.url, usage: false });
    try {
      const secret = foreignSecret();
      const out = await client.keys.import([item('sdk-import', { secret, externalId: 'sdk-1' }), item('sdk-import-bad', { secret: 'short' })], 'sdk-import-1');
      expect(out).toMatchObject({ created: 1, failed: 1, replayed: false });
      expect(out.results[0]).toMatchObject({ ok: true, externalId: 'sdk-1', secret: null, apiKey: { name: 'sdk-import' } });
      expect(out.results[1]?.error).toMatchObject({ code: 'BAD_USER_INPUT', field: 'secret' });
      expect((await verifyHttp(app, verifier, { key: secret })).body.code).toBe('VALID');
    } finally {
      await client.close();
    }
  });

  it('needs keys:write: a read-only key is refused', async () => {
    const reader = await createKey(app, owner, { name: 'reader', type: 'application', subtype: 'service', applicationId: appId, scopes: ['keys:read'] });
    const r = await importRaw([item('by-reader')], undefined, must(reader.secret));
    expect(code(r)).toBe('FORBIDDEN');
    expect(await db.collection('api_keys').countDocuments({ name: 'by-reader' })).toBe(0);
  });
});
