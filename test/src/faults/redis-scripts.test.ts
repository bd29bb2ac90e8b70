import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { Redis } from 'ioredis';
import { createLogger, createRedis, loadConfig } from '@latchkey/server';
import { LuaScript } from '@latchkey/server/testing';
import { startPrivateRedis, type PrivateRedis } from '../harness/redis-server';

/** Calls of one command so far, from INFO commandstats (0 when never called). */
async function calls(conn: Redis, command: string): Promise<number> {
  const m = new RegExp(`cmdstat_${command}:calls=(\\d+)`).exec(await conn.info('commandstats'));
  return Number(m?.[1] ?? 0);
}

async function untilReady(conn: Redis): Promise<void> {
  for (let i = 0; i < 200 && conn.status !== 'ready'; i++) await new Promise((r) => setTimeout(r, 50));
  expect(conn.status).toBe('ready');
}

// Scripts run as ioredis custom commands (infra/lua-script.ts) on the auto-pipelined
// connection the verify path uses: a burst shares one pipeline, and a Redis that lost its
// scripts (SCRIPT FLUSH, a restart) gets them again without the caller noticing.
describe('Lua scripts on a Redis that forgets them', () => {
  let redis: PrivateRedis;
  let conn: Redis;
  let script: LuaScript;
  beforeAll(async () => {
    redis = await startPrivateRedis();
    const dir = mkdtempSync(join(tmpdir(), 'lk-lua-'));
    writeFileSync(join(dir, 'incr-by-1.lua'), `-- test script\nreturn redis.call('INCRBY', KEYS[1], ARGV[1])`);
    script = new LuaScript('incr-by-1.lua', dir); // before the connection: createRedis defines every loaded script
    const config = loadConfig({ ...process.env, NODE_ENV: 'test', REDIS_URL: redis.url });
    const logger = createLogger({ level: 'silent', name: 'redis-scripts-test', destination: new Writable({ write: (_c, _e, cb) => cb() }) });
    conn = createRedis(config, logger, 'command');
    await untilReady(conn);
  }, 30_000);
  afterAll(async () => {
    conn?.disconnect();
    await redis?.stop();
  });

  it('a burst mixed with other commands runs every call once, EVALSHA after the first', async () => {
    const before = (await calls(conn, 'eval')) + (await calls(conn, 'evalsha'));
    const replies = await Promise.all([conn.set('{t}:other', '1'), ...Array.from({ length: 50 }, () => script.run(conn, ['{t}:n'], [1]))]);
    expect(replies[0]).toBe('OK');
    expect([...replies.slice(1)].map(Number).sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    // One script command per call: no EVALSHA/EVAL retries, no SCRIPT LOAD/EXISTS round trips.
    expect((await calls(conn, 'eval')) + (await calls(conn, 'evalsha')) - before).toBe(50);
    expect(await calls(conn, 'evalsha')).toBeGreaterThanOrEqual(49);
  });

  it('keeps working after SCRIPT FLUSH and after Redis restarts', async () => {
    await conn.script('FLUSH');
    expect(Number(await script.run(conn, ['{t}:flushed'], [5]))).toBe(5);
    expect(await conn.script('EXISTS', script.sha)).toEqual([1]);

    await redis.kill();
    await expect(script.run(conn, ['{t}:down'], [1])).rejects.toThrow();
    await redis.restart();
    await untilReady(conn);
    expect(Number(await script.run(conn, ['{t}:back'], [7]))).toBe(7);
  }, 30_000);
});
