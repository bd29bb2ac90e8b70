import type { Cluster, Redis } from 'ioredis';
import { LuaScript } from './lua-script';

// Locks and leases are a random token under SET NX PX; only the token's holder may touch them.
const RELEASE = new LuaScript('release-owned-1.lua', __dirname);
const RENEW = new LuaScript('renew-owned-1.lua', __dirname);

/** Deletes `key` if it still holds `token`: true when it did. */
export async function releaseOwned(redis: Redis | Cluster, key: string, token: string): Promise<boolean> {
  return (await RELEASE.run(redis, [key], [token])) === 1;
}

/** Sets `key`'s TTL to `ttlMs` if it still holds `token`: false once the key is gone or taken. */
export async function renewOwned(redis: Redis | Cluster, key: string, token: string, ttlMs: number): Promise<boolean> {
  return (await RENEW.run(redis, [key], [token, ttlMs])) === 1;
}
