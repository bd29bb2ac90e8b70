import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Cluster, Redis } from 'ioredis';

/**
 * A Lua file beside this module (`<name>-<numKeys>.lua`, CONVENTIONS 8), run with
 * EVALSHA and re-sent with EVAL when the server answers NOSCRIPT (restart, failover,
 * SCRIPT FLUSH, or a cluster node that has not seen it yet). `npm run build -w server`
 * copies the .lua files into dist/ (server/scripts/copy-assets.mjs).
 */
export class LuaScript {
  readonly source: string;
  readonly sha: string;
  readonly numKeys: number;

  constructor(file: string, dir = __dirname) {
    const m = /-(\d+)\.lua$/.exec(basename(file));
    if (!m) throw new Error(`Lua script ${file} must be named <name>-<numKeys>.lua`);
    this.numKeys = Number(m[1]);
    this.source = readFileSync(join(dir, file), 'utf8');
    this.sha = createHash('sha1').update(this.source).digest('hex');
  }

  async run(redis: Redis | Cluster, keys: readonly string[], args: ReadonlyArray<string | number>): Promise<unknown> {
    if (keys.length !== this.numKeys) throw new Error(`expected ${this.numKeys} keys, got ${keys.length}`);
    try {
      return await redis.evalsha(this.sha, this.numKeys, ...keys, ...args);
    } catch (e) {
      if (e instanceof Error && e.message.startsWith('NOSCRIPT')) return redis.eval(this.source, this.numKeys, ...keys, ...args);
      throw e;
    }
  }
}
