import { Writable } from 'node:stream';
import { Redis } from 'ioredis';
import { checkEvictionPolicy, createLogger, createRedis, loadConfig, type Logger } from '@latchkey/server';
import { startTestApp, type TestApp } from '../harness/app';
import { startPrivateRedis, type PrivateRedis } from '../harness/redis-server';

function capturingLogger(lines: string[]): Logger {
  return createLogger({ level: 'info', name: 'eviction-test', destination: new Writable({ write: (c: Buffer, _e, cb) => (lines.push(c.toString()), cb()) }) });
}

/** Runs `fn` with stderr captured (and kept out of the test output). */
async function withStderr<T>(fn: (written: string[]) => Promise<T>): Promise<T> {
  const written: string[] = [];
  const spy = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => (written.push(String(chunk)), true));
  try {
    return await fn(written);
  } finally {
    spy.mockRestore();
  }
}

// ARCHITECTURE §10: Redis holds limiter state, locks and queues, so it must run with
// maxmemory-policy noeviction; a node says so loudly when it does not.
describe('Redis maxmemory-policy check at start', () => {
  let redis: PrivateRedis;
  let admin: Redis;
  beforeAll(async () => {
    redis = await startPrivateRedis();
    admin = new Redis(redis.url);
    await admin.config('SET', 'maxmemory-policy', 'allkeys-lru');
    // A user without CONFIG, as managed Redis services hand out.
    await admin.acl('SETUSER', 'app', 'on', '>app-password', '~*', '&*', '+@all', '-config');
  }, 30_000);
  afterAll(async () => {
    admin?.disconnect();
    await redis?.stop();
  });

  const connect = (url: string, lines: string[]) => createRedis(loadConfig({ ...process.env, NODE_ENV: 'test', REDIS_URL: url }), capturingLogger(lines), 'command');

  it('an evicting policy is logged as a warning and written to stderr', async () => {
    const lines: string[] = [];
    const conn = connect(redis.url, lines);
    try {
      const written = await withStderr(async (w) => (expect(await checkEvictionPolicy(conn, capturingLogger(lines), 'latchkey')).toBe('allkeys-lru'), w));
      expect(written.join('')).toMatch(/^latchkey: WARNING: Redis maxmemory-policy is allkeys-lru, not noeviction/m);
      expect(lines.join('')).toMatch(/"level":40.*maxmemory-policy is allkeys-lru/);
    } finally {
      conn.disconnect();
    }
  });

  it('a Redis that refuses CONFIG is reported as unchecked, not as wrong', async () => {
    const lines: string[] = [];
    const url = new URL(redis.url);
    url.username = 'app';
    url.password = 'app-password';
    const conn = connect(url.toString(), lines);
    try {
      const written = await withStderr(async (w) => (expect(await checkEvictionPolicy(conn, capturingLogger(lines), 'latchkey')).toBeNull(), w));
      expect(written).toEqual([]);
      expect(lines.join('')).toMatch(/NOPERM.*could not check Redis maxmemory-policy/);
    } finally {
      conn.disconnect();
    }
  });

  it('noeviction passes silently', async () => {
    await admin.config('SET', 'maxmemory-policy', 'noeviction');
    const lines: string[] = [];
    const conn = connect(redis.url, lines);
    try {
      const written = await withStderr(async (w) => (expect(await checkEvictionPolicy(conn, capturingLogger(lines), 'latchkey')).toBe('noeviction'), w));
      expect(written).toEqual([]);
      expect(lines.join('')).not.toMatch(/maxmemory-policy/);
    } finally {
      conn.disconnect();
      await admin.config('SET', 'maxmemory-policy', 'allkeys-lru');
    }
  });

  it('a node on an evicting Redis starts, warns and shows the policy in /readyz', async () => {
    let app: TestApp | undefined;
    try {
      await withStderr(async (written) => {
        app = await startTestApp({ env: { REDIS_URL: redis.url } });
        for (let i = 0; i < 100 && !written.join('').includes('maxmemory-policy'); i++) await new Promise((r) => setTimeout(r, 50));
        expect(written.join('')).toMatch(/latchkey: WARNING: Redis maxmemory-policy is allkeys-lru/);
      });
      const ready = await fetch(`${app?.url}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toEqual({ status: 'ready', mongodb: 'up', redis: 'up', redisEvictionPolicy: 'allkeys-lru' });
    } finally {
      await app?.stop();
    }
  }, 60_000);
});
