import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { RateLimiter } from '@latchkey/server';

// Not the app harness: these tests need Redis only, not a booted server.
const uniqueName = (base: string): string => `${base}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** One Redis connection per "node", a unique key prefix per test file. */
export function limiterFixture(base: string) {
  const prefix = uniqueName(base);
  const conns: Redis[] = [];
  let n = 0;
  const node = (): RateLimiter => {
    const r = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
    conns.push(r);
    return new RateLimiter(r, prefix);
  };
  return {
    prefix,
    node,
    /** A fresh key id per test so tests never share state. */
    keyId: (): string => `key_${base}${++n}`,
    redis: (): Redis => conns[0],
    async close(): Promise<void> {
      const keys = conns[0] ? await conns[0].keys(`${prefix}:*`) : [];
      if (keys.length) await conns[0].del(...keys);
      for (const c of conns) c.disconnect();
    },
  };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
