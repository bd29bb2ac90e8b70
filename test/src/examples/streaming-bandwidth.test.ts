import { createProtectedService } from '../../../examples/protected-service/src/app';
import { startTestApp, type TestApp } from '../harness/app';
import { listen, problemOf, sdkWorld, type SdkWorld } from '../sdk/sdk-helpers';

const MiB = 1024 * 1024;

/** Reads a response body to the end, counting bytes; rejects when the transfer breaks. */
async function drain(res: Response): Promise<number> {
  let n = 0;
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  for (;;) {
    const r = await reader.read();
    if (r.done) return n;
    n += r.value.byteLength;
  }
}

// Issue 10 item 3: the middleware throttles bodies to the key's byte rates with a smooth
// token bucket, counts the bytes and stops a stream cleanly when the daily quota runs out.
describe('streaming rate control in the middleware', () => {
  let app: TestApp;
  let world: SdkWorld;
  let svc: { url: string; close(): Promise<void> };
  const perKey = new Map<string, { downloadBytesPerSecond?: number; uploadBytesPerSecond?: number; bytesPerDay?: number }>();

  beforeAll(async () => {
    app = await startTestApp();
    world = await sdkWorld(app);
    // The bandwidth of each test key; a key's own limits in the verify answer take precedence.
    svc = await listen(createProtectedService({ latchkey: world.latchkey, bandwidth: (v) => (v.keyId ? perKey.get(v.keyId) : undefined) }));
  }, 60_000);
  afterAll(async () => {
    await svc?.close();
    await world?.latchkey.close();
    await app?.stop();
  });

  it('a streamed 10 MB response at 1 MB/s takes 10 s ± 10 % and its bytes are counted', async () => {
    const k = await world.key({ scopes: ['data:read'] });
    perKey.set(k.id, { downloadBytesPerSecond: MiB });
    const before = world.latchkey.reporter?.stats.accepted ?? 0;
    const started = performance.now();
    const res = await fetch(`${svc.url}/downloads/${10 * MiB}`, { headers: { authorization: `Bearer ${k.secret}` } });
    expect(res.status).toBe(200);
    const got = await drain(res);
    const seconds = (performance.now() - started) / 1000;
    expect(got).toBe(10 * MiB);
    expect(seconds).toBeGreaterThanOrEqual(9);
    expect(seconds).toBeLessThanOrEqual(11);

    // Counted: the usage report of this request carries the 10 MB, and analytics show it.
    await new Promise((r) => setTimeout(r, 100));
    await world.latchkey.reporter?.flush();
    expect(world.latchkey.reporter?.stats.accepted).toBeGreaterThan(before);
    await app.server.services.usage.fold({ upToMinute: Math.floor(Date.now() / 60_000) + 1 });
    const from = new Date(Date.now() - 3_600_000).toISOString();
    const to = new Date(Date.now() + 60_000).toISOString();
    const r = await fetch(`${app.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${world.token}` },
      body: JSON.stringify({
        query: 'query($k: ID!, $f: DateTimeISO!, $t: DateTimeISO!){ usage(keyId: $k, from: $f, to: $t, granularity: HOUR){ bytesOut } }',
        variables: { k: k.id, f: from, t: to },
      }),
    });
    const body = (await r.json()) as { data: { usage: { bytesOut: number }[] } };
    expect(body.data.usage.reduce((a, p) => a + p.bytesOut, 0)).toBe(10 * MiB);
  }, 60_000);

  it("throttles to the key's own download limit from the verify answer when the service configures none", async () => {
    // 8 Mbps is 1,000,000 bytes a second: 2,000,000 bytes take about 2 s.
    const k = await world.key({ scopes: ['data:read'], rateLimit: { bandwidth: { downloadMbps: 8 } } });
    const started = performance.now();
    const res = await fetch(`${svc.url}/downloads/2000000`, { headers: { authorization: `Bearer ${k.secret}` } });
    expect(res.status).toBe(200);
    expect(await drain(res)).toBe(2_000_000);
    const seconds = (performance.now() - started) / 1000;
    expect(seconds).toBeGreaterThanOrEqual(1.7);
    expect(seconds).toBeLessThanOrEqual(3);
  }, 30_000);

  it('the bytes flow smoothly, not in bursts', async () => {
    const k = await world.key({ scopes: ['data:read'] });
    perKey.set(k.id, { downloadBytesPerSecond: 512 * 1024 });
    const res = await fetch(`${svc.url}/downloads/${1 * MiB}`, { headers: { authorization: `Bearer ${k.secret}` } });
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    const started = performance.now();
    const perQuarter = [0, 0, 0, 0, 0, 0, 0, 0];
    for (;;) {
      const r = await reader.read();
      if (r.done) break;
      const slot = Math.min(7, Math.floor((performance.now() - started) / 250));
      perQuarter[slot] = (perQuarter[slot] ?? 0) + r.value.byteLength;
    }
    // 2 s at 512 KiB/s: every quarter second carries some bytes, none more than twice its share.
    expect(perQuarter.filter((b) => b > 0).length).toBeGreaterThanOrEqual(6);
    for (const b of perQuarter) expect(b).toBeLessThanOrEqual(2 * 128 * 1024 + 64 * 1024);
  }, 30_000);

  it('an upload is throttled to the upload rate', async () => {
    const k = await world.key({ scopes: ['data:write'] });
    perKey.set(k.id, { uploadBytesPerSecond: MiB });
    const started = performance.now();
    const res = await fetch(`${svc.url}/uploads`, {
      method: 'POST',
      headers: { authorization: `Bearer ${k.secret}`, 'content-type': 'application/octet-stream' },
      body: Buffer.alloc(2 * MiB, 1),
    });
    const seconds = (performance.now() - started) / 1000;
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ received: 2 * MiB });
    expect(seconds).toBeGreaterThanOrEqual(1.7);
    expect(seconds).toBeLessThanOrEqual(3);
  }, 30_000);

  it('the daily byte quota stops a stream cleanly, then refuses with 429 QUOTA_EXCEEDED', async () => {
    const k = await world.key({ scopes: ['data:read'] });
    perKey.set(k.id, { downloadBytesPerSecond: 4 * MiB, bytesPerDay: 300_000 });
    const res = await fetch(`${svc.url}/downloads/${1 * MiB}`, { headers: { authorization: `Bearer ${k.secret}` } });
    expect(res.status).toBe(200);
    // The transfer breaks instead of ending as if the file were complete.
    let received = 0;
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    await expect(
      (async () => {
        for (;;) {
          const r = await reader.read();
          if (r.done) return received;
          received += r.value.byteLength;
        }
      })(),
    ).rejects.toThrow();
    expect(received).toBeLessThanOrEqual(300_000);
    expect(received).toBeGreaterThan(200_000);

    const again = await fetch(`${svc.url}/downloads/1000`, { headers: { authorization: `Bearer ${k.secret}` } });
    expect(again.status).toBe(429);
    expect(Number(again.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await problemOf(again)).toMatchObject({ code: 'QUOTA_EXCEEDED', dimension: 'bytes' });
  }, 30_000);
});
