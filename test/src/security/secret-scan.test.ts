import type { Connection } from 'mongoose';
import { Redis } from 'ioredis';
import { startTestApp, type TestApp } from '../harness/app';
import { gql } from '../harness/graphql';
import { approveRaw, claimRaw, createApp, createKey, createUser, customValue, dbOf, KEY_FIELDS, login, loginOwner, requestKey, setPolicy, OWNER } from '../keys/key-helpers';
import { verifierSetup, verifyHttp } from '../verify/verify-helpers';

/** Responses that hand a secret out exactly once, by the root field that answered. */
const ONE_TIME = new Set([
  'login',
  'createApiKey',
  'claimApiKey',
  'rotateApiKey',
  'revealApiKey',
  'createWebhookEndpoint',
  'rotateWebhookSecret',
  'setLeakReporterSecret',
  'changePassword',
]);
// Shapes of every secret Latchkey issues, for values the scenario did not see itself.
const SHAPES = [/lk_(dev|stg|prd)_[0-9A-Za-z]{20,}/, /lks_[0-9A-Za-z_-]{20,}/, /whsec_[A-Za-z0-9+/=]{20,}/, /lkrep_[0-9A-Za-z]{20,}/];

/**
 * Security case 9. A broad scenario hands out every kind of secret (API keys created,
 * imported, claimed, rotated, revealed; console sessions; webhook secrets created and
 * rotated; a leak-reporter secret; passwords) and uses them (verify, ?api_key=, failed
 * sign-ins). Then no collection, no Redis key or value under the deployment's prefix, no
 * log line and no response other than the one that issued it contains any of them.
 * (keys/secret-leak.test.ts is the key-only version of the database and log scan.)
 */
describe('no secret outlives its one-time response', () => {
  let app: TestApp;
  let db: Connection;
  const secrets = new Map<string, string>(); // value → what it is
  const responses: { field: string; body: string }[] = [];

  beforeAll(async () => {
    // Every log level, so debug lines are scanned too.
    app = await startTestApp({ env: { LOG_LEVEL: 'trace' } });
    db = await dbOf(app);
  });
  afterAll(async () => {
    await db?.close();
    await app?.stop();
  });

  /** gql that files every response by root field, for the response scan. */
  async function call<T>(query: string, variables: Record<string, unknown>, token?: string): Promise<T> {
    const r = await gql<T>(app.url, query, variables, { token });
    const field = /\{\s*(\w+)/.exec(query)?.[1] ?? '?';
    responses.push({ field, body: JSON.stringify(r.data ?? null) + JSON.stringify(r.errors ?? null) });
    if (r.errors?.length || !r.data) throw new Error(`${field}: ${JSON.stringify(r.errors)}`);
    return r.data;
  }
  const keep = (what: string, v: string | null | undefined) => {
    if (typeof v !== 'string' || v.length < 16) throw new Error(`no ${what}`);
    secrets.set(v, what);
    return v;
  };

  it('hands out and uses every kind of secret', async () => {
    const owner = keep('owner session', await loginOwner(app));
    secrets.set(OWNER.password, 'owner password');
    const { verifier } = await verifierSetup(app);
    keep('verifier key', verifier);
    await setPolicy(app, owner, { recoverableKeysAllowed: true });
    const appId = await createApp(app, owner, 'scan-app');
    const base = { type: 'application', subtype: 'service', applicationId: appId, permissionLevel: 'custom', scopes: ['keys:read', 'alerts:read'] };
    const plain = await createKey(app, owner, { ...base, name: 'scan-plain' });
    keep('created key', plain.secret);
    const imported = keep('imported key', customValue());
    await createKey(app, owner, { ...base, name: 'scan-custom', customKey: imported });
    const rec = await createKey(app, owner, { ...base, name: 'scan-recoverable', recoverable: true });
    keep('recoverable key', rec.secret);
    await call('mutation($id:ID!){ revealApiKey(id:$id){ secret } }', { id: rec.apiKey.id }, owner);
    const rotated = await call<{ rotateApiKey: { secret: string } }>(
      `mutation($id:ID!){ rotateApiKey(id:$id, gracePeriodSeconds: 60){ secret apiKey { ${KEY_FIELDS} } } }`,
      { id: plain.apiKey.id },
      owner,
    );
    keep('rotated key', rotated.rotateApiKey.secret);

    const dev = await createUser(app, owner, ['admin']);
    keep('second session', dev.token);
    secrets.set(dev.password, 'user password');
    const req = await requestKey(app, dev.token, { name: 'scan-req', type: 'system', subtype: 'integration', scopes: ['keys:read'] });
    await approveRaw(app, owner, req.id);
    keep('claimed key', (await claimRaw(app, dev.token, req.id)).data?.claimApiKey.secret);

    const hook = await call<{ createWebhookEndpoint: { endpoint: { id: string }; secret: string } }>(
      'mutation{ createWebhookEndpoint(input:{url:"http://127.0.0.1:9/hook"}){ endpoint { id } secret } }',
      {},
      owner,
    );
    keep('webhook secret', hook.createWebhookEndpoint.secret);
    const hook2 = await call<{ rotateWebhookSecret: { secret: string } }>(
      'mutation($id:ID!){ rotateWebhookSecret(id:$id, overlapSeconds: 60){ secret } }',
      { id: hook.createWebhookEndpoint.endpoint.id },
      owner,
    );
    keep('rotated webhook secret', hook2.rotateWebhookSecret.secret);
    const reporter = await call<{ setLeakReporterSecret: { secret: string } }>('mutation{ setLeakReporterSecret { secret } }', {}, owner);
    keep('leak reporter secret', reporter.setLeakReporterSecret.secret);

    // Use them: verify, the audited ?api_key= form, a failed and a good sign-in, listings.
    for (const k of [plain.secret, rotated.rotateApiKey.secret, imported, `${imported}x`]) {
      responses.push({ field: 'verify', body: JSON.stringify(await verifyHttp(app, verifier, { key: k as string })) });
    }
    const viaQuery = await fetch(`${app.url}/graphql?api_key=${encodeURIComponent(rotated.rotateApiKey.secret)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"query":"{ me { orgId } }"}',
    });
    responses.push({ field: '?api_key', body: await viaQuery.text() + JSON.stringify([...viaQuery.headers]) });
    const failed = await gql(app.url, 'mutation($e:String!,$p:String!){ login(email:$e, password:$p){ token } }', { e: OWNER.email, p: `${OWNER.password}x` });
    responses.push({ field: 'failed login', body: JSON.stringify(failed) });
    keep('third session', await login(app, dev.email, dev.password));
    await gql(app.url, 'mutation{ logout }', {}, { token: dev.token });
    const listings = [
      `{ apiKeys(first: 100) { nodes { ${KEY_FIELDS} } } }`,
      '{ auditEvents(first: 200) { nodes { action before after actor { id } target { id } } } }',
      '{ webhookEndpoints { id url } }',
      '{ keyRequests(first: 50) { nodes { id status } } }',
      '{ me { id orgId } }',
    ];
    for (const q of listings) {
      await call(q, {}, owner);
    }
    expect(secrets.size).toBeGreaterThanOrEqual(14);
    await new Promise((r) => setTimeout(r, 500)); // audit and webhook fan-out settle
  });

  const findIn = (where: string, text: string, out: string[]) => {
    if (secrets.size < 14) throw new Error('the scenario did not hand out every secret: nothing to scan for');
    for (const [v, what] of secrets) if (text.includes(v)) out.push(`${where}: ${what}`);
  };

  it('no database collection contains any of them', async () => {
    const found: string[] = [];
    const cols = await db.db?.listCollections().toArray();
    for (const c of cols ?? []) findIn(`collection ${c.name}`, JSON.stringify(await db.collection(c.name).find({}).toArray()), found);
    process.stdout.write(`secret scan: ${secrets.size} secrets × ${(cols ?? []).length} collections\n`);
    expect((cols ?? []).length).toBeGreaterThan(8);
    expect(found).toEqual([]);
  });

  it('no Redis key or value under the deployment prefix contains any of them', async () => {
    const redis = new Redis(app.config.REDIS_URL);
    const found: string[] = [];
    let scanned = 0;
    try {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${app.config.REDIS_PREFIX}*`, 'COUNT', '500');
        cursor = next;
        for (const k of keys) {
          scanned++;
          const type = await redis.type(k);
          const value =
            type === 'string' ? await redis.getBuffer(k).then((b) => b?.toString('latin1') ?? '') :
            type === 'hash' ? JSON.stringify(await redis.hgetall(k)) :
            type === 'list' ? JSON.stringify(await redis.lrange(k, 0, -1)) :
            type === 'set' ? JSON.stringify(await redis.smembers(k)) :
            type === 'zset' ? JSON.stringify(await redis.zrange(k, '0', '-1')) :
            type === 'stream' ? JSON.stringify(await redis.xrange(k, '-', '+')) : '';
          findIn(`redis ${k}`, k + value, found);
        }
      } while (cursor !== '0');
    } finally {
      redis.disconnect();
    }
    process.stdout.write(`secret scan: ${scanned} Redis keys\n`);
    expect(scanned).toBeGreaterThan(0);
    expect(found).toEqual([]);
  });

  it('no log line contains any of them, nor anything shaped like one', async () => {
    const found: string[] = [];
    const logs = app.logs.join('\n');
    expect(logs.length).toBeGreaterThan(0);
    process.stdout.write(`secret scan: ${app.logs.length} log lines\n`);
    findIn('logs', logs, found);
    for (const s of SHAPES) if (s.test(logs)) found.push(`logs match ${s}`);
    expect(found).toEqual([]);
  });

  it('no response except the one that issued it contains any of them', async () => {
    const found: string[] = [];
    let scanned = 0;
    for (const r of responses) {
      if (ONE_TIME.has(r.field)) continue;
      scanned++;
      findIn(`response of ${r.field}`, r.body, found);
      for (const s of SHAPES) if (s.test(r.body)) found.push(`response of ${r.field} matches ${s}`);
    }
    process.stdout.write(`secret scan: ${scanned} responses (${responses.length - scanned} one-time ones skipped)\n`);
    expect(scanned).toBeGreaterThanOrEqual(5);
    expect(found).toEqual([]);
  });
});
