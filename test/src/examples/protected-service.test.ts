import { createProtectedService } from '../../../examples/protected-service/src/app';
import { startTestApp, type TestApp } from '../harness/app';
import { Latchkey } from '@latchkey/sdk';
import { listen, problemOf, sdkWorld, type SdkWorld } from '../sdk/sdk-helpers';

// The seed's curl examples against the example service: Bearer header and ?api_key=.
describe('example protected service', () => {
  let app: TestApp;
  let world: SdkWorld;
  let svc: { url: string; close(): Promise<void> };

  beforeAll(async () => {
    app = await startTestApp();
    world = await sdkWorld(app);
    svc = await listen(createProtectedService({ latchkey: world.latchkey }));
  }, 60_000);
  afterAll(async () => {
    await svc?.close();
    await world?.latchkey.close();
    await app?.stop();
  });

  it('a key with users:read lists users with a Bearer header and with ?api_key=', async () => {
    const k = await world.key({ scopes: ['users:read'] });
    const byHeader = await fetch(`${svc.url}/users`, { headers: { authorization: `Bearer ${k.secret}` } });
    expect(byHeader.status).toBe(200);
    expect(((await byHeader.json()) as { keyId: string }).keyId).toBe(k.id);
    const byQuery = await fetch(`${svc.url}/users?api_key=${encodeURIComponent(k.secret)}`);
    expect(byQuery.status).toBe(200);
  });

  it('deploying needs applications:deploy for that application id', async () => {
    const reader = await world.key({ scopes: ['users:read'] });
    const deployer = await world.key({ scopes: ['applications:deploy:app_1'] });
    const deploy = (id: string, secret: string) => fetch(`${svc.url}/applications/${id}/deploy`, { method: 'POST', headers: { authorization: `Bearer ${secret}` } });

    expect((await deploy('app_1', deployer.secret)).status).toBe(202);
    const other = await deploy('app_2', deployer.secret);
    expect(other.status).toBe(403);
    expect((await problemOf(other)).code).toBe('INSUFFICIENT_PERMISSIONS');
    const noScope = await deploy('app_1', reader.secret);
    expect(noScope.status).toBe(403);
    expect((await problemOf(noScope)).code).toBe('INSUFFICIENT_PERMISSIONS');
  });

  it('an IP-restricted key works only from its allowed network', async () => {
    const k = await world.key({ scopes: ['users:read'], restrictions: { ipAllowList: ['203.0.113.0/24'] } });
    const inside = await fetch(`${svc.url}/users`, { headers: { authorization: `Bearer ${k.secret}`, 'x-forwarded-for': '203.0.113.7' } });
    expect(inside.status).toBe(200);
    const outside = await fetch(`${svc.url}/users`, { headers: { authorization: `Bearer ${k.secret}`, 'x-forwarded-for': '198.51.100.9' } });
    expect(outside.status).toBe(403);
    expect((await problemOf(outside)).code).toBe('FORBIDDEN_IP');
  });

  it('a rate-limited key gets RateLimit headers, then 429 with Retry-After', async () => {
    const k = await world.key({ scopes: ['users:read'], rateLimit: { perMinute: 3 } });
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < 4; i++) {
      last = await fetch(`${svc.url}/users`, { headers: { authorization: `Bearer ${k.secret}` } });
      statuses.push(last.status);
      if (i === 0) {
        expect(last.headers.get('ratelimit-policy')).toMatch(/^"minute";q=3;w=60$/);
        expect(last.headers.get('ratelimit')).toMatch(/^"minute";r=2;t=\d+$/);
      }
      if (i < 3) await last.arrayBuffer();
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
    const denied = last as Response;
    expect(Number(denied.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(denied.headers.get('ratelimit')).toMatch(/r=0/);
    const p = await problemOf(denied);
    expect(p).toMatchObject({ code: 'RATE_LIMITED', status: 429 });
  });

  it('usage reported by the middleware appears in the key analytics', async () => {
    const k = await world.key({ scopes: ['users:read'] });
    for (let i = 0; i < 3; i++) await (await fetch(`${svc.url}/users`, { headers: { authorization: `Bearer ${k.secret}` } })).arrayBuffer();
    await world.latchkey.reporter?.flush();
    expect(world.latchkey.reporter?.stats.accepted).toBeGreaterThanOrEqual(3);
    // Read back through the SDK's typed analytics call, as an operator's script would.
    const admin = new Latchkey({ apiKey: world.token, baseUrl: app.url, usage: false });
    const deadline = Date.now() + 15_000;
    let total = { reported: 0, bytesOut: 0 };
    while (Date.now() < deadline) {
      // In production the jobs process folds counters into analytics every minute.
      await app.server.services.usage.fold({ upToMinute: Math.floor(Date.now() / 60_000) + 1 });
      const points = await admin.usage.byKey(k.id, new Date(Date.now() - 3_600_000), new Date(Date.now() + 60_000), 'MINUTE');
      total = points.reduce((a, p) => ({ reported: a.reported + p.reported, bytesOut: a.bytesOut + p.bytesOut }), { reported: 0, bytesOut: 0 });
      if (total.reported >= 3 && total.bytesOut > 0) break;
      await new Promise((r) => setTimeout(r, 300));
    }
    await admin.close();
    expect(total.reported).toBeGreaterThanOrEqual(3);
    expect(total.bytesOut).toBeGreaterThan(0);
  });
});
