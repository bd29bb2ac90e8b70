import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { createLogger, loadConfig, startServer, type RunningServer } from '@latchkey/server';
import { uniqueName } from '../harness/app';

export interface TestCert {
  certFile: string;
  keyFile: string;
  ca: Buffer;
}

/** A throwaway P-256 certificate for 127.0.0.1 and localhost, valid one day. */
export function makeTestCert(): TestCert {
  const dir = mkdtempSync(join(tmpdir(), 'lk-tls-'));
  const certFile = join(dir, 'cert.pem');
  const keyFile = join(dir, 'key.pem');
  execFileSync(
    'openssl',
    [
      'req', '-x509',
      '-newkey', 'ec',
      '-pkeyopt', 'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-days', '1',
      '-subj', '/CN=localhost',
      '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost',
      '-keyout', keyFile,
      '-out', certFile,
    ],
    { stdio: 'ignore' },
  );
  return { certFile, keyFile, ca: readFileSync(certFile) };
}

export interface HttpsAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** An HTTPS request trusting only the test certificate (fetch cannot be given a CA on Node 20). */
export function httpsCall(url: string, ca: Buffer, opts: { method?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<HttpsAnswer> {
  const payload = opts.body === undefined ? undefined : Buffer.from(JSON.stringify(opts.body));
  return new Promise((resolve, reject) => {
    const headers = { ...(payload ? { 'content-type': 'application/json', 'content-length': String(payload.length) } : {}), ...opts.headers };
    const req = httpsRequest(url, { method: opts.method ?? 'GET', ca, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(payload);
  });
}

export async function gqlHttps<T>(
  url: string,
  ca: Buffer,
  query: string,
  variables: Record<string, unknown> = {},
  token?: string,
): Promise<{ data?: T; errors?: unknown[]; headers: HttpsAnswer['headers'] }> {
  const r = await httpsCall(`${url}/graphql`, ca, { method: 'POST', body: { query, variables }, headers: token ? { authorization: `Bearer ${token}` } : {} });
  return { ...(JSON.parse(r.body) as { data?: T; errors?: unknown[] }), headers: r.headers };
}

/** graphql-ws over WSS, trusting the test certificate. */
export function wssClient(wsUrl: string, ca: Buffer, token: string): Client {
  return createClient({
    url: wsUrl,
    webSocketImpl: class extends WebSocket {
      constructor(address: string, protocols?: string | string[]) {
        super(address, protocols, { ca });
      }
    },
    connectionParams: { authorization: `Bearer ${token}` },
    retryAttempts: 0,
    lazy: true,
  });
}

/** Like startTestApp, with TLS on (its readiness probe must trust the test certificate). */
export async function startTlsApp(cert: TestCert): Promise<{ server: RunningServer; url: string; wsUrl: string; stop(): Promise<void> }> {
  const config = loadConfig({
    ...process.env,
    NODE_ENV: 'test',
    PORT: '0',
    HOST: '127.0.0.1',
    MONGODB_DB: uniqueName('lkt'),
    REDIS_PREFIX: uniqueName('lkt'),
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn',
    LATCHKEY_ADMIN_EMAIL: 'owner@example.test',
    LATCHKEY_ADMIN_PASSWORD: 'correct horse battery staple 42',
    TLS_CERT_FILE: cert.certFile,
    TLS_KEY_FILE: cert.keyFile,
  });
  const sink = new Writable({ write: (_c, _e, cb) => cb() });
  const server = await startServer(config, createLogger({ level: config.LOG_LEVEL, name: 'latchkey-test', destination: sink }));
  const deadline = Date.now() + 60_000;
  for (;;) {
    const r = await httpsCall(`${server.url}/readyz`, cert.ca).catch(() => null);
    if (r?.status === 200) break;
    if (Date.now() > deadline) throw new Error(`TLS app not ready: ${r?.body ?? 'no answer'}`);
    await new Promise((res) => setTimeout(res, 200));
  }
  return { server, url: server.url, wsUrl: server.wsUrl, stop: () => server.stop() };
}
