import express from 'express';
import Fastify from 'fastify';
import { Latchkey, latchkeyExpress, latchkeyFastifyPlugin, withLatchkey, type Verification } from '@latchkey/sdk';
import { startTestApp, type TestApp } from '../harness/app';
import { gqlOk } from '../harness/graphql';
import { blackHole, listen, problemOf, sdkWorld, type SdkWorld } from './sdk-helpers';

function expressApp(client: Latchkey) {
  const app = express();
  app.get('/things', latchkeyExpress({ client, resource: 'users', action: 'read' }), (req, res) => {
    const verification = (req as unknown as { latchkey: Verification }).latchkey;
    res.json({ ok: true, code: verification.code, failedOpen: verification.failedOpen ?? false });
  });
  return app;
}

describe('middleware: missing, malformed and revoked keys; Latchkey unreachable', () => {
  let app: TestApp;
  let world: SdkWorld;
  let svc: { url: string; close(): Promise<void> };

  beforeAll(async () => {
    app = await startTestApp();
    world = await sdkWorld(app);
    svc = await listen(expressApp(world.latchkey));
  }, 60_000);
  afterAll(async () => {
    await svc?.close();
    await world?.latchkey.close();
    await app?.stop();
  });

  it('no key answers 401 UNAUTHENTICATED as problem+json with WWW-Authenticate', async () => {
    const res = await fetch(`${svc.url}/things`);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(await problemOf(res)).toMatchObject({ code: 'UNAUTHENTICATED', status: 401 });
  });

  it('a malformed key answers 401 MALFORMED, also when absurdly long', async () => {
    for (const bad of ['not-a-key', 'x'.repeat(5_000)]) {
      const res = await fetch(`${svc.url}/things`, { headers: { authorization: `Bearer ${bad}` } });
      expect(res.status).toBe(401);
      expect((await problemOf(res)).code).toBe('MALFORMED');
    }
  });

  it('a revoked key answers 401 REVOKED', async () => {
    const k = await world.key({ scopes: ['users:read'] });
    const call = () => fetch(`${svc.url}/things?api_key=${encodeURIComponent(k.secret)}`);
    expect((await call()).status).toBe(200);
    await gqlOk(app.url, 'mutation($id: ID!){ revokeApiKey(id: $id, reason: "leaked"){ id } }', { id: k.id }, { token: world.token });
    // Without watchRevocations a cached VALID answer may outlive revocation by the TTL;
    // a client that watches keyEvents drops it at once (sdk-client.test.ts). Here: no cache.
    world.latchkey.verifier.cache.clear();
    const res = await call();
    expect(res.status).toBe(401);
    expect((await problemOf(res)).code).toBe('REVOKED');
  });

  it('fail closed (default): Latchkey down answers 503 UNAVAILABLE quickly', async () => {
    const client = new Latchkey({ apiKey: world.verifier, baseUrl: 'http://127.0.0.1:1', timeoutMs: 1_000, usage: false });
    const down = await listen(expressApp(client));
    try {
      const started = Date.now();
      const res = await fetch(`${down.url}/things`, { headers: { authorization: 'Bearer lk_prd_whatever' } });
      expect(res.status).toBe(503);
      expect((await problemOf(res)).code).toBe('UNAVAILABLE');
      expect(Date.now() - started).toBeLessThan(3_000);
    } finally {
      await down.close();
      await client.close();
    }
  });

  it('a hanging Latchkey never holds a request beyond the timeout', async () => {
    const hole = await blackHole();
    const client = new Latchkey({ apiKey: world.verifier, baseUrl: hole.url, timeoutMs: 800, retries: 3, usage: false });
    const svc2 = await listen(expressApp(client));
    try {
      const started = Date.now();
      const res = await fetch(`${svc2.url}/things`, { headers: { authorization: 'Bearer lk_prd_whatever' } });
      const took = Date.now() - started;
      expect(res.status).toBe(503);
      expect((await problemOf(res)).code).toBe('UNAVAILABLE');
      expect(took).toBeGreaterThanOrEqual(700);
      expect(took).toBeLessThan(2_500);
    } finally {
      await svc2.close();
      await hole.close();
      await client.close();
    }
  });

  it("fail open lets the request through, marked failedOpen", async () => {
    const client = new Latchkey({ apiKey: world.verifier, baseUrl: 'http://127.0.0.1:1', timeoutMs: 1_000, failMode: 'open', usage: false });
    const down = await listen(expressApp(client));
    try {
      const res = await fetch(`${down.url}/things`, { headers: { authorization: 'Bearer lk_prd_whatever' } });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ ok: true, code: 'UNAVAILABLE', failedOpen: true });
      // A missing key is still refused: failing open is about Latchkey, not about the caller.
      expect((await fetch(`${down.url}/things`)).status).toBe(401);
    } finally {
      await down.close();
      await client.close();
    }
  });

  it("a service whose own key is wrong answers 503, never lets traffic through", async () => {
    const client = new Latchkey({ apiKey: 'lk_prd_notarealkeyatall', baseUrl: app.url, failMode: 'open', usage: false });
    const svc3 = await listen(expressApp(client));
    try {
      const k = await world.key({ scopes: ['users:read'] });
      const res = await fetch(`${svc3.url}/things`, { headers: { authorization: `Bearer ${k.secret}` } });
      expect(res.status).toBe(503);
      expect((await problemOf(res)).code).toBe('UNAVAILABLE');
    } finally {
      await svc3.close();
      await client.close();
    }
  });

  it('Fastify plugin and Next.js helper answer the same codes', async () => {
    const fastify = Fastify();
    await fastify.register(latchkeyFastifyPlugin, { client: world.latchkey, resource: 'users', action: 'read' });
    fastify.get('/things', async (req) => ({ keyId: (req as unknown as { latchkey: Verification }).latchkey.keyId }));
    const addr = await fastify.listen({ port: 0, host: '127.0.0.1' });
    const next = withLatchkey((_req, ctx) => Response.json({ keyId: ctx.latchkey.keyId }), { client: world.latchkey, resource: 'users', action: 'read' });
    try {
      const k = await world.key({ scopes: ['users:read'] });
      const rev = await world.key({ scopes: ['users:read'] });
      await gqlOk(app.url, 'mutation($id: ID!){ revokeApiKey(id: $id){ id } }', { id: rev.id }, { token: world.token });

      const f = (h: Record<string, string> = {}, q = '') => fetch(`${addr}/things${q}`, { headers: h });
      expect(((await (await f({ authorization: `Bearer ${k.secret}` })).json()) as { keyId: string }).keyId).toBe(k.id);
      expect((await f({}, `?api_key=${k.secret}`)).status).toBe(200);
      const missing = await f();
      expect([missing.status, (await problemOf(missing)).code]).toEqual([401, 'UNAUTHENTICATED']);
      const revoked = await f({ authorization: `Bearer ${rev.secret}` });
      expect([revoked.status, (await problemOf(revoked)).code]).toEqual([401, 'REVOKED']);

      const n = (h: Record<string, string> = {}, q = '') => next(new Request(`http://svc.test/things${q}`, { headers: h }), {});
      expect(((await (await n({ authorization: `Bearer ${k.secret}` })).json()) as { keyId: string }).keyId).toBe(k.id);
      expect((await n({}, `?api_key=${k.secret}`)).status).toBe(200);
      const nm = await n();
      expect([nm.status, (await problemOf(nm)).code]).toEqual([401, 'UNAUTHENTICATED']);
      const nr = await n({ authorization: `Bearer ${rev.secret}` });
      expect([nr.status, (await problemOf(nr)).code]).toEqual([401, 'REVOKED']);
      const nmal = await n({ authorization: 'Bearer nope' });
      expect([nmal.status, (await problemOf(nmal)).code]).toEqual([401, 'MALFORMED']);
    } finally {
      await fastify.close();
    }
  });
});
