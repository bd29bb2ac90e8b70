import { z } from 'zod';
import { loadConfig, ConfigError } from '../infra/config';
import { createLogger } from '../infra/logger';
import { createMongo, waitForMongo } from '../infra/mongo';
import { kekFromConfig, type Kek } from '../infra/crypto';
import { createRedis } from '../infra/redis';
import { withEntityLock } from '../infra/entity-lock';
import { rewrapAll } from '../keys/rewrap';

/**
 * `node server/dist/cli/rewrap-keys.js` — re-wraps every sealed key under the KEK the
 * server is configured with (LATCHKEY_KEK / LATCHKEY_KEK_ID), unwrapping with the old
 * ones listed in LATCHKEY_OLD_KEKS="id1:base64,id2:base64" (docs/KEYS.md, "KEK
 * rotation"). Prints a JSON report; exit code 1 when anything could not be rewrapped.
 * An entry point, so it parses its own environment, once, like the server does.
 */
const OldKeks = z
  .string({ error: 'is required (comma-separated id:base64 pairs)' })
  .min(1, 'is required (comma-separated id:base64 pairs)')
  .transform((v, ctx) => {
    const keks: Kek[] = [];
    for (const [i, item] of v.split(',').map((s) => s.trim()).filter(Boolean).entries()) {
      const at = item.indexOf(':');
      const id = at > 0 ? item.slice(0, at) : '';
      const key = Buffer.from(at > 0 ? item.slice(at + 1) : '', 'base64');
      if (!id || id.length > 40 || key.length !== 32) {
        ctx.addIssue({ code: 'custom', message: `entry ${i + 1} must be <id>:<base64 of 32 bytes>` });
        return z.NEVER;
      }
      keks.push({ id, key });
    }
    return keks;
  });

async function main(): Promise<number> {
  const config = loadConfig(process.env);
  const parsed = OldKeks.safeParse(process.env.LATCHKEY_OLD_KEKS);
  if (!parsed.success) throw new ConfigError('LATCHKEY_OLD_KEKS', parsed.error.issues[0]?.message ?? 'is invalid');
  const logger = createLogger({ level: config.LOG_LEVEL, name: 'latchkey-rewrap' });
  const mongo = createMongo(config, logger);
  // The servers' entity locks: a record being claimed or revoked right now waits for us.
  const redis = createRedis(config, logger, 'command');
  try {
    if (!(await waitForMongo(mongo, logger, 30_000))) throw new Error('MongoDB is not reachable');
    const to = kekFromConfig(config);
    const report = await rewrapAll(mongo.conn, parsed.data, to, { lock: (id, fn) => withEntityLock(redis, config.REDIS_PREFIX, id, fn, { waitMs: 30_000 }) });
    process.stdout.write(`${JSON.stringify({ kekId: to.id, ...report }, null, 2)}\n`);
    return report.failed.length === 0 ? 0 : 1;
  } finally {
    await mongo.close();
    redis.disconnect();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(2);
  },
);
