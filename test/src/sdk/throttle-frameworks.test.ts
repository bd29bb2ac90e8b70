import { Readable } from 'node:stream';
import Fastify from 'fastify';
import { latchkeyFastify, withLatchkey } from '@latchkey/sdk';
import { startTestApp, type TestApp } from '../harness/app';
import { sdkWorld, type SdkWorld } from './sdk-helpers';

const KiB = 1024;
const size = 1024 * KiB;

function source(): Readable {
  const chunk = Buffer.alloc(64 * KiB, 7);
  let left = size;
  return new Readable({
    read() {
      if (left <= 0) return void this.push(null);
      left -= chunk.length;
      this.push(chunk);
    },
  });
}

async function timedDownload(res: Response): Promise<{ bytes: number; seconds: number }> {
  const started = performance.now();
  const bytes = (await res.arrayBuffer()).byteLength;
  return { bytes, seconds: (performance.now() - started) / 1000 };
}

// The same bandwidth control behind Fastify (Node streams) and Next.js (web streams).
describe('bandwidth throttling in the Fastify hook and the Next.js helper', () => {
  let app: TestApp;
  let world: SdkWorld;

  beforeAll(async () => {
    app = await startTestApp();
    world = await sdkWorld(app);
  }, 60_000);
  afterAll(async () => {
    await world?.latchkey.close();
    await app?.stop();
  });

  it('Fastify: a 1 MiB stream at 512 KiB/s takes about 2 s and is counted', async () => {
    const k = await world.key({ scopes: ['data:read'] });
    const fastify = Fastify();
    const hook = latchkeyFastify({ client: world.latchkey, resource: 'data', action: 'read', bandwidth: { downloadBytesPerSecond: 512 * KiB } });
    fastify.get('/file', { onRequest: hook }, async (_req, reply) => reply.header('content-type', 'application/octet-stream').send(source()));
    const url = await fastify.listen({ port: 0, host: '127.0.0.1' });
    try {
      const before = world.latchkey.reporter?.stats.queued ?? 0;
      const t0 = performance.now();
      const res = await fetch(`${url}/file`, { headers: { authorization: `Bearer ${k.secret}` } });
      const r = await timedDownload(res);
      const total = (performance.now() - t0) / 1000;
      expect(r.bytes).toBe(size);
      expect(total).toBeGreaterThanOrEqual(1.7);
      expect(total).toBeLessThanOrEqual(2.6);
      await new Promise((r2) => setTimeout(r2, 50));
      expect((world.latchkey.reporter?.stats.queued ?? 0) + (world.latchkey.reporter?.stats.sent ?? 0)).toBeGreaterThan(before);
    } finally {
      await fastify.close();
    }
  }, 30_000);

  it('Next.js: a 1 MiB web stream at 512 KiB/s takes about 2 s', async () => {
    const k = await world.key({ scopes: ['data:read'] });
    const handler = withLatchkey(() => new Response(Readable.toWeb(source()) as ReadableStream<Uint8Array>), {
      client: world.latchkey,
      resource: 'data',
      action: 'read',
      bandwidth: { downloadBytesPerSecond: 512 * KiB },
    });
    const t0 = performance.now();
    const res = await handler(new Request('http://svc.test/file', { headers: { authorization: `Bearer ${k.secret}` } }), {});
    expect(res.status).toBe(200);
    const r = await timedDownload(res);
    const total = (performance.now() - t0) / 1000;
    expect(r.bytes).toBe(size);
    expect(total).toBeGreaterThanOrEqual(1.7);
    expect(total).toBeLessThanOrEqual(2.6);
  }, 30_000);
});
