// The limiter alone (one EVALSHA per check) against rate-limiter-flexible on the same
// Redis, in this process, 64 checks in flight.
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const { Redis } = require('ioredis');
const { RateLimiter } = require('../../server/dist/ratelimit/ratelimit.service.js');
const { RateLimiterRedis } = require('rate-limiter-flexible');

async function drive(fn, seconds = 5, inflight = 64) {
  let n = 0;
  const end = Date.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: inflight }, async (_, w) => {
      let i = w;
      while (Date.now() < end) {
        await fn(i);
        i += inflight;
        n++;
      }
    }),
  );
  return Math.round(n / seconds);
}

export async function limiterBench(redisUrl, prefix) {
  const redis = new Redis(redisUrl);
  const ours = new RateLimiter(redis, `${prefix}:bench`);
  const keys = Array.from({ length: 1000 }, (_, i) => `key_bench${i}`);
  const one = { perMinute: 1_000_000_000 };
  const all = { perSecond: 1e9, perMinute: 1e9, perHour: 1e9, perDay: 1e9, burst: { maxBurst: 1e9, burstWindowSeconds: 1 } };
  const rlf = new RateLimiterRedis({ storeClient: redis, keyPrefix: `${prefix}:rlf`, points: 1_000_000_000, duration: 60 });
  await ours.check(keys[0], one);
  const result = {
    rateLimiterFlexibleOneWindow: await drive((i) => rlf.consume(keys[i % keys.length])),
    oursOneWindow: await drive((i) => ours.check(keys[i % keys.length], one)),
    oursFourWindowsAndBurst: await drive((i) => ours.check(keys[i % keys.length], all)),
  };
  redis.disconnect();
  return result;
}
