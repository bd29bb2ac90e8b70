import { startTestApp, type TestApp } from '../harness/app';
import { gqlOk } from '../harness/graphql';
import { createApp, createKey, login } from '../keys/key-helpers';
import { generateKey } from '@latchkey/server/testing';
import { serviceKey, verifierSetup } from '../verify/verify-helpers';
import { monitoredMongoUri, rawHttp, watchCommands, wsHandshake, type CommandLog } from './security-helpers';

/** Flip one body character: a checksum failure. */
const damage = (k: string) => k.slice(0, -7) + (k.at(-7) === 'A' ? 'B' : 'A') + k.slice(-6);
const MB = 1 << 20;

/**
 * Security case 2: every malformed-key variant at every door gets the same answer per
 * class, and a value whose checksum (or shape) fails never reaches MongoDB. Verify codes
 * themselves are in verify/verify-codes.test.ts; this file is about the doors.
 */
describe('malformed keys at every door', () => {
  let app: TestApp;
  let owner: string;
  let verifier: string;
  let valid: string;
  let foreign: string;
  let cmds: CommandLog;
  // Values that fail before any lookup (MALFORMED) and values that need one (NOT_FOUND).
  const noLookup: Record<string, string> = {};
  const lookup: Record<string, string> = {};

  beforeAll(async () => {
    // A long key cache: the caller's own key must not be re-read by hash mid-test (that
    // read would be counted against the value being tested).
    app = await startTestApp({ env: { MONGODB_URI: monitoredMongoUri(), VERIFY_CACHE_TTL_MS: '300000' } });
    ({ token: owner, verifier } = await verifierSetup(app));
    valid = (await serviceKey(app, owner)).secret;
    await gqlOk(
      app.url,
      'mutation($i: CreateOrganizationInput!){ createOrganization(input:$i){ organization { id } } }',
      { i: { name: 'Foreign', slug: `fx-${Date.now().toString(36)}`, ownerEmail: 'fx@other.test', ownerPassword: 'foreign organization secret 1' } },
      { token: owner },
    );
    const tokenB = await login(app, 'fx@other.test', 'foreign organization secret 1');
    const foreignKey = await createKey(app, tokenB, {
      name: 'fk',
      type: 'application',
      subtype: 'service',
      applicationId: await createApp(app, tokenB, 'fx'),
      permissionLevel: 'custom',
      scopes: ['applications:read'],
    });
    foreign = foreignKey.secret as string;
    Object.assign(noLookup, {
      empty: '',
      tooLong: valid + 'x'.repeat(300),
      badChecksum: damage(valid),
      nul: `${valid.slice(0, 20)}\u0000${valid.slice(21)}`,
      unicode: `${valid.slice(0, 20)}é${valid.slice(21)}`,
      shortWrongPrefix: 'sk_live_abc123',
    });
    Object.assign(lookup, { unknown: generateKey({ environment: 'production' }).key, wrongPrefixCustomShape: `sk_live_${'Ab3'.repeat(14)}` });
    cmds = watchCommands(app);
  }, 60_000);
  afterAll(async () => {
    cmds?.stop();
    await app?.stop();
  });

  const verifyBody = async (key: string) => {
    const r = await fetch(`${app.url}/v1/keys/verify`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${verifier}` },
      body: JSON.stringify({ key }),
    });
    return { status: r.status, body: await r.text() };
  };
  const graphqlHeader = async (key: string) => {
    const r = await fetch(`${app.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: '{"query":"{ me { orgId } }"}',
    });
    return { status: r.status, body: await r.text() };
  };
  const graphqlQuery = async (key: string) => {
    const r = await fetch(`${app.url}/graphql?api_key=${encodeURIComponent(key)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"query":"{ me { orgId } }"}',
    });
    return { status: r.status, body: await r.text() };
  };

  it('door 1, the verify body: checksum failures answer one MALFORMED body with no database read; unknown and foreign keys one NOT_FOUND body', async () => {
    await verifyBody(valid); // the caller key is now cached
    const malformed = new Set<string>();
    for (const [name, key] of Object.entries(noLookup)) {
      cmds.reset();
      const r = await verifyBody(key);
      expect({ name, status: r.status }).toEqual({ name, status: 200 });
      malformed.add(r.body);
      expect({ name, reads: cmds.credentialReads() }).toEqual({ name, reads: 0 });
    }
    expect([...malformed]).toEqual([JSON.stringify({ valid: false, code: 'MALFORMED', reason: 'the key is not in a recognized format' })]);
    const notFound = new Set<string>();
    for (const key of [...Object.values(lookup), foreign]) {
      cmds.reset();
      notFound.add((await verifyBody(key)).body);
      // The control: a value that passes the checksum costs exactly one lookup by hash.
      expect(cmds.credentialReads()).toBe(1);
    }
    // Another organization's key is indistinguishable from one that does not exist.
    expect([...notFound]).toEqual([JSON.stringify({ valid: false, code: 'NOT_FOUND', reason: 'unknown key' })]);
    // A 1 MB body never reaches the pipeline: the JSON parser's 64 kB limit answers 413.
    const big = await verifyBody('x'.repeat(MB));
    expect(big.status).toBe(413);
    expect(JSON.parse(big.body)).toMatchObject({ error: { code: 'PAYLOAD_TOO_LARGE' } });
  });

  it('doors 2–4, the verify caller key, /graphql Authorization and ?api_key=: every bad value is a 401 with its code, and checksum failures read nothing', async () => {
    const doors = {
      verifyCaller: async (k: string) => {
        const r = await fetch(`${app.url}/v1/keys/verify`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${k}` },
          body: JSON.stringify({ key: valid }),
        });
        return { status: r.status, body: await r.text() };
      },
      graphqlHeader,
      graphqlQuery,
    };
    const table: string[] = [];
    for (const [door, send] of Object.entries(doors)) {
      const bodies = new Map<string, Set<string>>();
      for (const [cls, values] of [['MALFORMED', noLookup], ['NOT_FOUND', lookup]] as const) {
        for (const [name, key] of Object.entries(values)) {
          // Header doors cannot carry NUL or non-Latin-1 through fetch: those go raw below.
          if (door !== 'graphqlQuery' && (name === 'nul' || name === 'unicode')) continue;
          // The caller door reads "Bearer <non-space>", so an empty key is "no credential".
          if (door === 'verifyCaller' && name === 'empty') continue;
          cmds.reset();
          const r = await send(key);
          expect({ door, name, status: r.status }).toEqual({ door, name, status: 401 });
          if (cls === 'MALFORMED') expect({ door, name, reads: cmds.credentialReads() }).toEqual({ door, name, reads: 0 });
          if (!bodies.has(cls)) bodies.set(cls, new Set());
          bodies.get(cls)?.add(r.body.replace(/"requestId":"[^"]*"/, ''));
        }
      }
      // One body per class per door: nothing about the value leaks beyond its class.
      for (const [cls, set] of bodies) {
        expect({ door, cls, distinct: set.size }).toEqual({ door, cls, distinct: 1 });
        table.push(`${door} ${cls}: 401 ${[...set][0]?.slice(0, 120)}`);
      }
    }
    process.stdout.write(`${table.join('\n')}\n`);
  });

  it('raw header bytes: NUL is refused by the HTTP parser (400), non-ASCII bytes are MALFORMED (401); a 1 MB header or URL is 431', async () => {
    const host = new URL(app.url).host;
    const body = '{"query":"{ me { orgId } }"}';
    const head = `POST /graphql HTTP/1.1\r\nHost: ${host}\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\nconnection: close\r\nauthorization: Bearer `;
    const req = (auth: Buffer) => Buffer.concat([Buffer.from(head), auth, Buffer.from(`\r\n\r\n${body}`)]);
    cmds.reset();
    expect((await rawHttp(app.url, req(Buffer.from(noLookup.nul as string, 'latin1')))).status).toBe(400);
    const uni = await rawHttp(app.url, req(Buffer.from(noLookup.unicode as string, 'utf8')));
    expect({ status: uni.status, text: uni.text.slice(0, 400) }).toMatchObject({ status: 401 });
    expect(uni.text).toContain('"code":"MALFORMED"');
    expect(cmds.credentialReads()).toBe(0);
    expect((await graphqlHeader('x'.repeat(MB)).catch(() => ({ status: 431 }))).status).toBe(431);
    expect((await graphqlQuery('x'.repeat(MB)).catch(() => ({ status: 431 }))).status).toBe(431);
  });

  it('door 5, graphql-ws connection_init: every bad value closes with 4403, a 1 MB payload with 1009, and checksum failures read nothing', async () => {
    for (const [name, key] of Object.entries({ ...noLookup, ...lookup })) {
      cmds.reset();
      const r = await wsHandshake(app.wsUrl, { payload: { authorization: `Bearer ${key}` } });
      // An empty value means "no credential": anonymous sockets are refused alike.
      expect({ name, code: r.code, reason: r.reason }).toEqual({ name, code: 4403, reason: 'Forbidden' });
      if (name in noLookup) expect({ name, reads: cmds.credentialReads() }).toEqual({ name, reads: 0 });
    }
    const big = await wsHandshake(app.wsUrl, { payload: { authorization: `Bearer ${'x'.repeat(MB)}` } });
    expect(big.code).toBe(1009);
    // And the good key is let in (so the 4403s above are about the values).
    const ok = await wsHandshake(app.wsUrl, { payload: { authorization: `Bearer ${valid}` } });
    expect(ok.acked).toBe(true);
    ok.socket.close();
  });
});
