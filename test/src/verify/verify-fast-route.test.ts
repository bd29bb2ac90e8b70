import { startTestApp, type TestApp } from '../harness/app';
import { serviceKey, verifierSetup } from './verify-helpers';

/**
 * POST /v1/keys/verify is answered below Express (verify/verify-fast-route.ts) unless
 * the request needs Express (query string, other content type, compressed body). Both
 * doors must give the same answers; this pins the edges of the fast one.
 */
describe('verify fast path', () => {
  let app: TestApp;
  let verifier: string;
  let key: string;

  beforeAll(async () => {
    app = await startTestApp();
    const s = await verifierSetup(app);
    verifier = s.verifier;
    key = (await serviceKey(app, s.token)).secret;
  }, 60_000);
  afterAll(() => app?.stop());

  const post = async (body: string, headers: Record<string, string> = {}, path = '/v1/keys/verify') => {
    const r = await fetch(`${app.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${verifier}`, ...headers }, body });
    return { status: r.status, type: r.headers.get('content-type'), body: (await r.json()) as { code?: string; valid?: boolean; error?: { code: string; message: string } } };
  };

  it('answers the common body, with the full input schema for anything else', async () => {
    const plain = await post(JSON.stringify({ key }));
    expect(plain).toMatchObject({ status: 200, type: 'application/json; charset=utf-8', body: { valid: true, code: 'VALID' } });
    const full = await post(JSON.stringify({ key, ip: '10.0.0.1', environment: 'production' }));
    expect(full.body.code).toBe('VALID');
    const bad = await post(JSON.stringify({ key, ip: 'not-an-ip' }));
    expect(bad).toMatchObject({ status: 400, body: { error: { code: 'BAD_USER_INPUT' } } });
    const unknownField = await post(JSON.stringify({ key, extra: 1 }));
    expect(unknownField.status).toBe(400);
  });

  it('refuses bodies like express.json would: invalid JSON, primitives, too large; empty is a missing key', async () => {
    expect(await post('{"key":')).toMatchObject({ status: 400, body: { error: { code: 'BAD_USER_INPUT', message: 'request body is not valid JSON' } } });
    expect(await post('"just a string"')).toMatchObject({ status: 400, body: { error: { message: 'request body is not valid JSON' } } });
    expect(await post(JSON.stringify({ key: 'x'.repeat(70 * 1024) }))).toMatchObject({ status: 413, body: { error: { code: 'PAYLOAD_TOO_LARGE' } } });
    expect(await post('')).toMatchObject({ status: 400, body: { error: { code: 'BAD_USER_INPUT' } } });
  });

  it('caller refusals keep their codes', async () => {
    expect(await post(JSON.stringify({ key }), { authorization: '' })).toMatchObject({ status: 401, body: { error: { code: 'UNAUTHENTICATED' } } });
    expect(await post(JSON.stringify({ key }), { authorization: `Bearer ${key}` })).toMatchObject({ status: 403, body: { error: { code: 'INSUFFICIENT_PERMISSIONS' } } });
  });

  it('requests it does not take still reach the Express route with the same answer', async () => {
    expect((await post(JSON.stringify({ key }), {}, '/v1/keys/verify?trace=1')).body.code).toBe('VALID');
    const latin1 = await post(JSON.stringify({ key }), { 'content-type': 'application/json; charset=latin1' });
    // body-parser reads UTF-8 only: a typed 415, not the 500 it was before.
    expect(latin1).toMatchObject({ status: 415, body: { error: { code: 'BAD_USER_INPUT' } } });
    expect(latin1.body.error?.message).toMatch(/charset/i);
    // Not JSON to express.json: no body, so the key is missing.
    expect((await post(JSON.stringify({ key }), { 'content-type': 'text/plain' })).status).toBe(400);
  });

  it('counts its requests in the same metrics as the Express route', async () => {
    await post(JSON.stringify({ key }));
    const metrics = await (await fetch(`${app.url}/metrics`)).text();
    expect(metrics).toMatch(/route="\/v1\/keys\/verify",status="2xx"/);
  });
});
