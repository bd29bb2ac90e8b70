import { Redis, type RedisOptions } from 'ioredis';
import type { ConnectionOptions } from 'bullmq';
import type { Config } from './config';
import type { Logger } from './logger';
import { luaCommands } from './lua-script';

/**
 * Redis connections. Commands fail fast when Redis is away (the verify path has a
 * documented fallback), while subscriber and worker connections retry forever.
 */
export function redisOptions(config: Config, kind: 'command' | 'subscriber' | 'worker'): RedisOptions {
  const url = new URL(config.REDIS_URL);
  const base: RedisOptions = {
    host: url.hostname,
    port: Number(url.port || 6379),
    username: url.username || undefined,
    password: url.password ? decodeURIComponent(url.password) : undefined,
    db: url.pathname.length > 1 ? Number(url.pathname.slice(1)) : 0,
    tls: url.protocol === 'rediss:' ? {} : undefined,
    lazyConnect: false,
    retryStrategy: (times) => Math.min(100 * 2 ** Math.min(times, 6), 5_000),
    connectionName: `latchkey-${kind}`,
  };
  if (kind === 'command') {
    // Auto-pipelining: commands issued in the same tick (the verify path's EVALSHAs of
    // concurrent requests) leave in one socket write instead of one syscall each — the
    // top item of the verify benchmark's CPU profile (docs/PERFORMANCE.md).
    return { ...base, maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 2_000, commandTimeout: 2_000, enableAutoPipelining: true };
  }
  return { ...base, maxRetriesPerRequest: null };
}

/** BullMQ connection options: producers fail fast, workers never give up. */
export function bullConnection(config: Config, kind: 'producer' | 'worker'): ConnectionOptions {
  const { commandTimeout: _ignored, ...o } = redisOptions(config, kind === 'worker' ? 'worker' : 'command');
  const opts: Record<string, unknown> = { ...o };
  // BullMQ's blocking commands must not time out; producers still fail fast.
  if (kind === 'producer') Object.assign(opts, { maxRetriesPerRequest: 1, enableOfflineQueue: false });
  return opts as ConnectionOptions;
}

export function createRedis(config: Config, logger: Logger, kind: 'command' | 'subscriber' | 'worker'): Redis {
  const r = new Redis({ ...redisOptions(config, kind), scripts: luaCommands() });
  let wasReady = false;
  r.on('ready', () => {
    if (!wasReady) logger.info({ kind }, 'redis ready');
    wasReady = true;
  });
  r.on('error', (err: Error) => logger.debug({ kind, err: err.message }, 'redis error'));
  r.on('end', () => logger.debug({ kind }, 'redis connection ended'));
  return r;
}

/**
 * Redis must not evict (ARCHITECTURE §10): limiter state, locks, leases, dedupe markers and
 * BullMQ's queues live there, and an evicted lock or job is a silent correctness bug, not a
 * cache miss. Checked once, when the connection is first ready; a Redis that refuses
 * CONFIG (managed services rename or forbid it) is logged as unchecked. Resolves to the
 * policy, or null when it could not be read. `processName` prefixes the stderr line.
 */
export function checkEvictionPolicy(redis: Redis, logger: Logger, processName: string): Promise<string | null> {
  const check = async (): Promise<string | null> => {
    let reply: unknown;
    try {
      reply = await redis.config('GET', 'maxmemory-policy');
    } catch (err) {
      logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'could not check Redis maxmemory-policy (CONFIG GET refused); it must be noeviction');
      return null;
    }
    const policy = Array.isArray(reply) && typeof reply[1] === 'string' ? reply[1] : null;
    if (policy === null) {
      logger.warn('could not check Redis maxmemory-policy (CONFIG GET answered nothing); it must be noeviction');
      return null;
    }
    if (policy !== 'noeviction') {
      const message = `Redis maxmemory-policy is ${policy}, not noeviction: under memory pressure Redis would drop rate-limit state, locks and queued jobs`;
      logger.warn({ policy }, message);
      // Loud on purpose, like the plain-HTTP warning: operators read stderr, not debug logs.
      process.stderr.write(`${processName}: WARNING: ${message}\n`);
    }
    return policy;
  };
  if (redis.status === 'ready') return check();
  return new Promise((resolve) => redis.once('ready', () => resolve(check())));
}

export function redisIsUp(r: Redis): boolean {
  return r.status === 'ready';
}
