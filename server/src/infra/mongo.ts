import mongoose, { type Connection, type Model } from 'mongoose';
import type { Config } from './config';
import type { Logger } from './logger';

/**
 * One mongoose connection per process (or per test app). Models are registered on
 * this connection, never on the global default, so several apps can live in one
 * test process against different databases.
 */
export interface Mongo {
  readonly conn: Connection;
  isUp(): boolean;
  close(): Promise<void>;
}

export function createMongo(config: Config, logger: Logger): Mongo {
  const conn = mongoose.createConnection(config.MONGODB_URI, {
    dbName: config.MONGODB_DB,
    serverSelectionTimeoutMS: 5_000,
    // Don't queue operations forever while the store is away: fail within a few
    // seconds so requests get a clear 503 rather than hanging.
    bufferCommands: false,
    autoIndex: false,
    maxPoolSize: 20,
  });
  let up = false;
  conn.on('connected', () => {
    up = true;
    logger.info({ db: config.MONGODB_DB }, 'mongodb connected');
  });
  conn.on('disconnected', () => {
    if (up) logger.warn('mongodb disconnected');
    up = false;
  });
  conn.on('reconnected', () => {
    up = true;
  });
  // mongoose keeps retrying on its own; without a listener an initial failure would
  // be an unhandled rejection.
  conn.asPromise().catch((err: Error) => logger.error({ err: err.message }, 'mongodb initial connection failed; retrying'));
  conn.on('error', (err: Error) => logger.warn({ err: err.message }, 'mongodb error'));

  return {
    conn,
    isUp: () => up && conn.readyState === 1,
    close: async () => {
      await conn.close();
    },
  };
}

/**
 * Driver errors that mean "the store is unreachable right now": retryable, answered 503
 * SERVICE_UNAVAILABLE, not an internal error.
 */
export function isMongoUnavailable(err: unknown): boolean {
  const name = (err as { name?: unknown } | null)?.name;
  return typeof name === 'string' && /^(Mongo(ServerSelection|Network|NetworkTimeout|NotConnected|TopologyClosed)Error|PoolCleared(OnNetwork)?Error)$/.test(name);
}

/** What clients are told when the store is unreachable (503 on every transport). */
export const STORE_DOWN = 'the database is unreachable right now; retry shortly';

/** Waits until connected, retrying with backoff; never throws, logs progress. */
export async function waitForMongo(mongo: Mongo, logger: Logger, maxWaitMs = Number.POSITIVE_INFINITY): Promise<boolean> {
  const started = Date.now();
  let delay = 200;
  while (!mongo.isUp()) {
    if (Date.now() - started > maxWaitMs) return false;
    try {
      await mongo.conn.asPromise();
      if (mongo.isUp()) break;
    } catch {
      logger.debug('waiting for mongodb');
    }
    await new Promise((r) => setTimeout(r, delay));
    delay = Math.min(delay * 2, 5_000);
  }
  return true;
}

/**
 * Documents by `_id`, one point read each (at most `concurrency` in flight), in no
 * particular order; unknown ids are absent. FerretDB pushes down only a filter on `_id`
 * alone, so `{ _id: { $in } }` decodes the whole collection — at 10k keys, a few such
 * queries per second kept the embedded store at 100 % CPU (docs/MONGODB-PORTABILITY.md).
 */
export async function findByIds<T extends { _id: string }>(model: Model<T>, ids: Iterable<string>, projection?: Record<string, 0 | 1>, concurrency = 16): Promise<T[]> {
  const queue = [...new Set(ids)];
  const out: T[] = [];
  const worker = async (): Promise<void> => {
    for (let id = queue.pop(); id !== undefined; id = queue.pop()) {
      const doc = await model.findOne({ _id: id } as never, projection).lean<T>().exec();
      if (doc) out.push(doc);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, queue.length) }, worker));
  return out;
}
