import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { loadConfig, createLogger, startServer, type Config, type RunningServer } from '@latchkey/server';

export interface TestApp {
  url: string;
  wsUrl: string;
  config: Config;
  server: RunningServer;
  /** Every log line the app wrote, for secret-leak scans. */
  logs: string[];
  /** Registers a client the test opened against this app (a store connection…), closed by stop(). */
  closeOnStop(close: () => Promise<unknown>): void;
  /** Stops the app, then closes what closeOnStop registered: a file leaves no open handle behind. */
  stop(): Promise<void>;
}

/** A unique suffix per test file (and per call), for database names and Redis prefixes. */
export function uniqueName(base = 't'): string {
  return `${base}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
}

export interface TestAppOptions {
  env?: Record<string, string>;
  /** Share a database/prefix with another app (multi-node tests). */
  db?: string;
  prefix?: string;
}

/**
 * Boots the real API against the shared FerretDB and Redis, with its own database and
 * Redis key prefix unless told to share one (two nodes of one deployment).
 */
export async function startTestApp(opts: TestAppOptions = {}): Promise<TestApp> {
  const db = opts.db ?? uniqueName('lkt');
  const prefix = opts.prefix ?? uniqueName('lkt');
  const config = loadConfig({
    ...process.env,
    NODE_ENV: 'test',
    PORT: '0',
    HOST: '127.0.0.1',
    MONGODB_DB: db,
    REDIS_PREFIX: prefix,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'info',
    LATCHKEY_ADMIN_EMAIL: 'owner@example.test',
    LATCHKEY_ADMIN_PASSWORD: 'correct horse battery staple 42',
    LATCHKEY_WEBHOOK_ALLOW_LOOPBACK: 'true',
    ...opts.env,
  });
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      logs.push(chunk.toString());
      if (process.env.TEST_LOG_LEVEL) process.stderr.write(chunk);
      cb();
    },
  });
  const logger = createLogger({ level: config.LOG_LEVEL, name: 'latchkey-test', destination: sink });
  const server = await startServer(config, logger);
  // A node that never gets ready is stopped here: the caller gets no handle to stop it with.
  await waitReady(server.url).catch(async (err: unknown) => {
    await server.stop();
    throw err;
  });
  const closers: Array<() => Promise<unknown>> = [];
  const stop = async (): Promise<void> => {
    await server.stop();
    await Promise.allSettled(closers.splice(0).map((close) => close()));
  };
  return { url: server.url, wsUrl: server.wsUrl, config, server, logs, closeOnStop: (close) => void closers.push(close), stop };
}

export async function waitReady(url: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const r = await fetch(`${url}/readyz`).catch(() => null);
    if (r?.ok) return;
    if (Date.now() > deadline) throw new Error(`${url} not ready after ${timeoutMs} ms: ${r ? await r.text() : 'no answer'}`);
    await new Promise((res) => setTimeout(res, 100));
  }
}
