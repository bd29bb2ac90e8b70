import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Cluster, Redis } from 'ioredis';

type Client = Redis | Cluster;
type ScriptCall = (...keysAndArgs: (string | number)[]) => Promise<unknown>;
export type LuaCommands = Record<string, { lua: string; numberOfKeys: number }>;

/** Every script loaded so far, by command name: connections made by createRedis get them all. */
const registry = new Map<string, LuaScript>();

/**
 * A Lua file (`<name>-<numKeys>.lua`, CONVENTIONS 8) run as an ioredis custom command
 * (`defineCommand`), so ioredis does the script bookkeeping: the first call on each
 * socket sends EVAL (which also loads the script), later calls EVALSHA, and a NOSCRIPT
 * answer (restart, failover, SCRIPT FLUSH, a cluster node that has not seen it) is
 * re-sent as EVAL — one round trip in the normal case. `npm run build -w server` copies
 * the .lua files into dist/ (server/scripts/copy-assets.mjs).
 *
 * Scripts are module constants, so all of them exist before the composition root opens
 * a connection, and createRedis defines them up front (`luaCommands()`). That matters
 * with auto-pipelining: ioredis copies a connection's commands into each pipeline when
 * it creates the pipeline, so a command defined later is missing from a pipeline already
 * queued and ioredis fails the whole batch. Connections made elsewhere (tests, tools)
 * get a script defined on first use, which is safe only without auto-pipelining.
 */
export class LuaScript {
  readonly source: string;
  readonly sha: string;
  readonly numKeys: number;
  /** The command's name on a connection: unique per script text, never an ioredis method. */
  readonly command: string;

  constructor(private readonly file: string, dir: string) {
    const m = /^(.+)-(\d+)\.lua$/.exec(basename(file));
    if (!m?.[1]) throw new Error(`Lua script ${file} must be named <name>-<numKeys>.lua`);
    this.numKeys = Number(m[2]);
    this.source = readFileSync(join(dir, file), 'utf8');
    this.sha = createHash('sha1').update(this.source).digest('hex');
    this.command = `lua_${m[1].replace(/[^A-Za-z0-9]/g, '_')}_${this.sha.slice(0, 8)}`;
    registry.set(this.command, this);
  }

  run(redis: Client, keys: readonly string[], args: ReadonlyArray<string | number>): Promise<unknown> {
    if (keys.length !== this.numKeys) return Promise.reject(new Error(`expected ${this.numKeys} keys, got ${keys.length}`));
    const methods = redis as unknown as Record<string, ScriptCall | undefined>;
    let call = methods[this.command];
    if (call === undefined) {
      if (redis.options.enableAutoPipelining) {
        return Promise.reject(new Error(`Lua script ${this.file} was loaded after this auto-pipelined connection was made; create it with createRedis`));
      }
      redis.defineCommand(this.command, { numberOfKeys: this.numKeys, lua: this.source });
      call = methods[this.command] as ScriptCall;
    }
    return call.call(redis, ...keys, ...args);
  }
}

/** ioredis `scripts` option: every script loaded so far, defined when a connection is made. */
export function luaCommands(): LuaCommands {
  const out: LuaCommands = {};
  for (const [name, s] of registry) out[name] = { lua: s.source, numberOfKeys: s.numKeys };
  return out;
}
