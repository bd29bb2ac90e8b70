import 'reflect-metadata';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Worker } from 'bullmq';
import { createAppServices, createLogger, ensureIndexes, loadConfig, newId, type AppServices, type WebhookActor } from '@latchkey/server';
import { createWebhooksWorker, type WebhooksWorkerDeps } from '@latchkey/jobs';
import { uniqueName } from '../harness/app';

export interface ReceiverAnswer {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

/** A local webhook receiver on 127.0.0.1 that records every request. */
export interface Receiver {
  url: string;
  requests: { headers: IncomingHttpHeaders; body: string; path: string }[];
  /** Decides each answer (it may wait, to hold a delivery in flight); default 204. Gets the 1-based request number. */
  respond: (n: number, path: string) => ReceiverAnswer | Promise<ReceiverAnswer>;
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const r: Receiver = {
    url: '',
    requests: [],
    respond: () => ({ status: 204 }),
    close: () => new Promise<void>((res) => server.close(() => res())),
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      r.requests.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), path: req.url ?? '/' });
      const a = await r.respond(r.requests.length, req.url ?? '/');
      res.writeHead(a.status, a.headers ?? {});
      res.end(a.body ?? '');
    });
  });
  await new Promise<void>((res) => server.listen(0, '127.0.0.1', () => res()));
  r.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return r;
}

/** Services on a unique database and Redis prefix (no HTTP server needed). */
export async function startServices(env: Record<string, string> = {}): Promise<AppServices> {
  const config = loadConfig({
    ...process.env,
    NODE_ENV: 'test',
    MONGODB_DB: uniqueName('lkw'),
    REDIS_PREFIX: uniqueName('lkw'),
    LOG_LEVEL: 'silent',
    LATCHKEY_WEBHOOK_ALLOW_LOOPBACK: 'true',
    ...env,
  });
  const services = createAppServices(config, createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'silent', name: 'webhooks-test' }));
  await services.mongo.conn.asPromise();
  await ensureIndexes(services);
  return services;
}

export async function stopServices(services: AppServices): Promise<void> {
  await services.mongo.conn.dropDatabase().catch(() => undefined);
  await services.close();
}

/** The worker in-process, with a shrunk schedule so retries take milliseconds. */
export function startWorker(services: AppServices, opts: Omit<WebhooksWorkerDeps, 'services'> = {}): Worker {
  return createWebhooksWorker({ services, scheduleMs: [0, 50, 100], timeoutMs: 3_000, ...opts });
}

export async function waitFor<T>(fn: () => Promise<T | undefined | null | false>, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export function newOrgId(): string {
  return newId('org');
}

export const ACTOR: WebhookActor = { type: 'user', id: 'usr_webhooktest', meta: { requestId: 'req-test', ip: '127.0.0.1' } };

/** The value, or a failed test naming what was missing (instead of a non-null assertion). */
export function must<T>(v: T | null | undefined, what = 'value'): T {
  if (v === null || v === undefined) throw new Error(`expected a ${what}`);
  return v;
}
