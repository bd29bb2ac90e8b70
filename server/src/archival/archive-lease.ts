import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { releaseOwned, renewOwned } from '../infra/owned-key';

export interface Lease {
  /** False once a renewal found the lease gone (expired or taken): stop before the next commit point. */
  held(): boolean;
  release(): Promise<void>;
}

/**
 * One archival run at a time across every worker process. Unlike `withEntityLock`
 * (seconds, for one read-modify-write), a run may take minutes, so the lease is
 * renewed while it runs; a worker killed with SIGKILL stops renewing and the lease
 * lapses after `ttlMs`, letting the next run recover what it left.
 */
export async function acquireLease(redis: Redis, key: string, ttlMs: number): Promise<Lease | null> {
  const token = randomBytes(12).toString('hex');
  if ((await redis.set(key, token, 'PX', ttlMs, 'NX')) !== 'OK') return null;
  let held = true;
  const timer = setInterval(() => {
    renewOwned(redis, key, token, ttlMs).then(
      (renewed) => {
        if (!renewed) held = false;
      },
      () => undefined, // a blip: the next renewal (ttl/3 later) tries again
    );
  }, Math.max(200, Math.floor(ttlMs / 3)));
  timer.unref();
  return {
    held: () => held,
    async release() {
      clearInterval(timer);
      held = false;
      await releaseOwned(redis, key, token).catch(() => undefined);
    },
  };
}
