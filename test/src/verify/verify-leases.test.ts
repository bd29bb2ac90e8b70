import { startTestApp, type TestApp } from '../harness/app';
import { serviceKey, verifierSetup, verifyHttp } from './verify-helpers';

describe('connection leases', () => {
  let app: TestApp;
  let token: string;
  let verifier: string;
  beforeAll(async () => {
    app = await startTestApp();
    ({ token, verifier } = await verifierSetup(app));
  });
  afterAll(() => app.stop());

  const lease = async (body: Record<string, unknown>) => {
    const res = await fetch(`${app.url}/v1/leases`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${verifier}` },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  it('renewed leases keep their slot, released ones free it, abandoned ones expire', async () => {
    const k = await serviceKey(app, token, { rateLimit: { perMinute: 1000, concurrency: 1 } });
    const first = await verifyHttp(app, verifier, { key: k.secret, acquireLease: true });
    expect(first.body.code).toBe('VALID');
    const leaseId = (first.body as unknown as { leaseId: string }).leaseId;
    expect(leaseId).toMatch(/^lse_/);
    expect((await verifyHttp(app, verifier, { key: k.secret, acquireLease: true })).body.code).toBe('CONCURRENCY_LIMITED');

    // Renewed with a 1.5 s TTL: still held after 1 s, then abandoned and expired.
    expect((await lease({ keyId: k.id, leaseId, action: 'renew', ttlMs: 1_500 })).body).toMatchObject({ renewed: true });
    await new Promise((r) => setTimeout(r, 1_000));
    expect((await verifyHttp(app, verifier, { key: k.secret, acquireLease: true })).body.code).toBe('CONCURRENCY_LIMITED');
    await new Promise((r) => setTimeout(r, 800));
    const again = await verifyHttp(app, verifier, { key: k.secret, acquireLease: true });
    expect(again.body.code).toBe('VALID');
    expect((await lease({ keyId: k.id, leaseId, action: 'renew' })).body).toMatchObject({ renewed: false });

    const second = (again.body as unknown as { leaseId: string }).leaseId;
    expect((await lease({ keyId: k.id, leaseId: second, action: 'release' })).body).toEqual({ released: true });
    expect((await verifyHttp(app, verifier, { key: k.secret, acquireLease: true })).body.code).toBe('VALID');
  });

  it('refuses malformed bodies and keys of other organizations', async () => {
    expect((await lease({ keyId: 'nope', leaseId: 'lse_x', action: 'renew' })).status).toBe(400);
    expect((await lease({ keyId: 'key_doesnotexist', leaseId: 'lse_x', action: 'renew' })).status).toBe(404);
  });
});
