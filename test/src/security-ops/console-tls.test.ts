import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import path from 'node:path';
import { createServer } from 'node:net';
import { startTestApp, type TestApp } from '../harness/app';
import { makeTestCert, type TestCert } from './tls-harness';

jest.setTimeout(120_000);

const REPO = path.resolve(__dirname, '../../..');
const WRAPPER = path.join(REPO, 'client', 'scripts', 'https-server.mjs');
const STANDALONE = path.join(REPO, 'client', '.next', 'standalone', 'client', 'server.js');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

function post(url: string, ca: Buffer, form: string): Promise<{ status: number; headers: Record<string, string | string[] | undefined> }> {
  return new Promise((resolve, reject) => {
    const headers = { 'content-type': 'application/x-www-form-urlencoded', 'content-length': String(Buffer.byteLength(form)) };
    const req = httpsRequest(url, { method: 'POST', ca, headers }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers }));
    });
    req.on('error', reject);
    req.end(form);
  });
}

async function waitHttps(url: string, ca: Buffer, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`console exited early:\n${log()}`);
    const ok = await new Promise<boolean>((resolve) => {
      const req = httpsRequest(url, { ca, timeout: 1_000 }, (res) => {
        res.resume();
        resolve(true);
      });
      req.on('error', () => resolve(false));
      req.on('timeout', () => req.destroy());
      req.end();
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`console did not answer over HTTPS:\n${log()}`);
}

describe('console over HTTPS (client/scripts/https-server.mjs)', () => {
  let api: TestApp;
  let cert: TestCert;
  let child: ChildProcess;
  let url: string;

  beforeAll(async () => {
    if (!existsSync(STANDALONE)) throw new Error(`${STANDALONE} is missing: run "npm run build -w client" first.`);
    api = await startTestApp();
    cert = makeTestCert();
    const port = await freePort();
    url = `https://127.0.0.1:${port}`;
    child = spawn(process.execPath, [WRAPPER], {
      env: {
        ...process.env,
        NODE_ENV: 'production',
        NEXT_TELEMETRY_DISABLED: '1',
        PORT: String(port),
        HOSTNAME: '127.0.0.1',
        LATCHKEY_API_URL: api.url,
        TLS_CERT_FILE: cert.certFile,
        TLS_KEY_FILE: cert.keyFile,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let log = '';
    child.stdout?.on('data', (c: Buffer) => (log += c.toString()));
    child.stderr?.on('data', (c: Buffer) => (log += c.toString()));
    await waitHttps(`${url}/login`, cert.ca, child, () => log);
  });
  afterAll(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    await api?.stop();
  });

  it('signs in over HTTPS with HSTS and a Secure, HttpOnly session cookie', async () => {
    const r = await post(`${url}/api/session`, cert.ca, 'email=owner%40example.test&password=correct+horse+battery+staple+42');
    expect(r.status).toBe(303);
    expect(r.headers['strict-transport-security']).toMatch(/^max-age=\d+/);
    const cookie = ([] as string[]).concat(r.headers['set-cookie'] ?? []).join('\n');
    expect(cookie).toMatch(/;\s*Secure/i);
    expect(cookie).toMatch(/HttpOnly/i);
  });

  it('refuses plain HTTP on the console port', async () => {
    const outcome = await new Promise<string>((resolve) => {
      const req = httpRequest(`${url.replace('https', 'http')}/login`, { timeout: 5_000 }, (res) => resolve(`answered ${res.statusCode}`));
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', (e) => resolve(`refused: ${e.message}`));
      req.end();
    });
    expect(outcome).toMatch(/^refused/);
  });
});
