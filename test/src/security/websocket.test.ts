import type WebSocket from 'ws';
import { startTestApp, type TestApp } from '../harness/app';
import { gqlOk } from '../harness/graphql';
import { loginOwner } from '../keys/key-helpers';
import { serviceKey } from '../verify/verify-helpers';
import { MAX_SOCKETS_PER_PRINCIPAL } from '@latchkey/server/testing';
import { sleep, wsHandshake } from './security-helpers';

const auth = (v: string) => ({ authorization: `Bearer ${v}` });

/**
 * Security case 6. Raw graphql-transport-ws sockets (no client library retrying or
 * hiding close codes). Revocation of a session or key closing open sockets on another
 * node is in realtime/realtime.test.ts; session expiry (a 60 s TTL) is in
 * websocket-session-expiry.resilience.test.ts.
 */
describe('graphql-ws door', () => {
  let app: TestApp;
  let owner: string;
  beforeAll(async () => {
    app = await startTestApp();
    owner = await loginOwner(app);
  });
  afterAll(() => app?.stop());

  it('no connection_init within 3 s → 4408', async () => {
    const started = Date.now();
    const r = await wsHandshake(app.wsUrl, { sendInit: false });
    expect(r.code).toBe(4408);
    expect(Date.now() - started).toBeGreaterThanOrEqual(2_900);
  });

  it('bad, missing or malformed credentials → 4403; a good one is acknowledged', async () => {
    for (const payload of [undefined, {}, auth('lk_prd_nope'), auth('lks_nope'), { authorization: 42 }, { authorization: { $ne: null } }]) {
      const r = await wsHandshake(app.wsUrl, { payload });
      expect({ payload, code: r.code }).toEqual({ payload, code: 4403 });
    }
    const ok = await wsHandshake(app.wsUrl, { payload: auth(owner) });
    expect(ok.acked).toBe(true);
    ok.socket.close();
  });

  it('a foreign Origin is refused; the same host (the console on another port) and non-browser clients are not', async () => {
    const port = new URL(app.url).port;
    for (const origin of ['https://evil.example', 'http://127.0.0.1.evil.example:3000', 'http://127.evil.example', 'null', 'file://', 'chrome-extension://abc']) {
      const r = await wsHandshake(app.wsUrl, { payload: auth(owner), headers: { origin } });
      r.socket.close();
      expect({ origin, code: r.code, acked: r.acked }).toEqual({ origin, code: 4403, acked: false });
    }
    for (const origin of [`http://127.0.0.1:${port}`, 'http://127.0.0.1:3000', 'http://localhost:3000', undefined]) {
      const ok = await wsHandshake(app.wsUrl, { payload: auth(owner), headers: origin ? { origin } : {} });
      expect({ origin, acked: ok.acked }).toEqual({ origin, acked: true });
      ok.socket.close();
    }
  });

  it('a key that expires while its socket is open is disconnected (4403) at expiry', async () => {
    const k = await serviceKey(app, owner, { scopes: ['alerts:read'], expiresAt: new Date(Date.now() + 5_000).toISOString() });
    const r = await wsHandshake(app.wsUrl, { payload: auth(k.secret), waitMs: 1_000 });
    expect(r.acked).toBe(true);
    const closed = new Promise<{ code: number; at: number }>((resolve) => r.socket.on('close', (code: number) => resolve({ code, at: Date.now() })));
    const c = await Promise.race([closed, sleep(15_000).then(() => ({ code: 0, at: Date.now() }))]);
    expect(c.code).toBe(4403);
  }, 30_000);

  it('a key revoked while its socket is open is disconnected (4403) within a second', async () => {
    const k = await serviceKey(app, owner, { scopes: ['alerts:read'] });
    const r = await wsHandshake(app.wsUrl, { payload: auth(k.secret), waitMs: 1_000 });
    expect(r.acked).toBe(true);
    const closed = new Promise<number>((resolve) => r.socket.on('close', (code: number) => resolve(code)));
    const t0 = Date.now();
    await gqlOk(app.url, 'mutation($id:ID!){ revokeApiKey(id:$id, reason:"ws"){ id } }', { id: k.id }, { token: owner });
    expect(await Promise.race([closed, sleep(5_000).then(() => 0)])).toBe(4403);
    expect(Date.now() - t0).toBeLessThan(1_000 + 2_000); // mutation round trip included; loaded machine
  });

  it(`the per-principal cap (${MAX_SOCKETS_PER_PRINCIPAL}) holds, and a closed socket frees its place`, async () => {
    const open: WebSocket[] = [];
    for (let i = 0; i < MAX_SOCKETS_PER_PRINCIPAL; i++) {
      const r = await wsHandshake(app.wsUrl, { payload: auth(owner), waitMs: 3_000 });
      expect({ i, acked: r.acked }).toEqual({ i, acked: true });
      open.push(r.socket);
    }
    const over = await wsHandshake(app.wsUrl, { payload: auth(owner) });
    expect(over.code).toBe(4403);
    // Another principal is not affected by this one's cap.
    const other = await wsHandshake(app.wsUrl, { payload: auth(await loginOwner(app)) });
    expect(other.acked).toBe(false); // same user, other session: the cap is per user
    const k = await serviceKey(app, owner, { scopes: ['alerts:read'] });
    const byKey = await wsHandshake(app.wsUrl, { payload: auth(k.secret) });
    expect(byKey.acked).toBe(true);
    byKey.socket.close();
    const closing = new Promise((r) => open[0]?.once('close', r));
    open[0]?.close();
    await closing;
    await sleep(200);
    const again = await wsHandshake(app.wsUrl, { payload: auth(owner) });
    expect(again.acked).toBe(true);
    for (const s of [...open, again.socket]) s.close();
  });
});

describe('graphql-ws door with CONSOLE_ORIGINS', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ env: { CONSOLE_ORIGINS: 'https://console.example.test, https://ops.example.test' } });
  });
  afterAll(() => app?.stop());

  it('admits exactly the configured console origins besides the own host', async () => {
    const owner = await loginOwner(app);
    const origins = [
      ['https://console.example.test', true],
      ['https://ops.example.test', true],
      ['https://console.example.test.evil.example', false],
      ['http://console.example.test', false],
    ] as const;
    for (const [origin, acked] of origins) {
      const r = await wsHandshake(app.wsUrl, { payload: auth(owner), headers: { origin } });
      r.socket.close();
      expect({ origin, acked: r.acked }).toEqual({ origin, acked });
    }
  });
});
