import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { AppError } from './app-error';
import { releaseOwned } from './owned-key';

/**
 * Serializes read-modify-write of one entity across every node. Needed because
 * FerretDB does not isolate concurrent updates (docs/MONGODB-PORTABILITY.md); on
 * MongoDB it is merely redundant. Waits up to `waitMs`, then answers CONFLICT.
 */
export async function withEntityLock<T>(
  redis: Redis,
  prefix: string,
  entityId: string,
  fn: () => Promise<T>,
  opts: { ttlMs?: number; waitMs?: number } = {},
): Promise<T> {
  const ttlMs = opts.ttlMs ?? 10_000;
  const waitMs = opts.waitMs ?? 5_000;
  const key = `${prefix}:lock:{${entityId}}`;
  const token = randomBytes(12).toString('hex');
  const deadline = Date.now() + waitMs;
  let delay = 5;
  for (;;) {
    let ok: string | null;
    try {
      ok = await redis.set(key, token, 'PX', ttlMs, 'NX');
    } catch {
      throw AppError.unavailable('coordination store (Redis) unavailable; try again shortly');
    }
    if (ok === 'OK') break;
    if (Date.now() > deadline) throw AppError.conflict(`${entityId} is being changed by another request; try again`);
    await new Promise((r) => setTimeout(r, delay + Math.random() * delay));
    delay = Math.min(delay * 2, 100);
  }
  try {
    return await fn();
  } finally {
    await releaseOwned(redis, key, token).catch(() => undefined);
  }
}
