// Shared plumbing for the benchmarks: processes pinned to a core, autocannon runs,
// GraphQL calls and RSS sampling.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import autocannon from 'autocannon';

export const ROOT = new URL('../../', import.meta.url).pathname;
/** Every single request of the bench gives up after this long, so no phase can hang. */
export const REQUEST_TIMEOUT_MS = 30_000;

/** POST JSON with the bench's timeout; resolves to the parsed body. */
export async function postJson(url, body, headers = {}) {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
  return res.json();
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

// Servers still running when the bench exits (watchdog, error) die with it.
const children = new Set();
process.on('exit', () => {
  for (const c of children) c.kill('SIGKILL');
});

/** Starts `node <script>` pinned to `core` (taskset) and waits for its port. */
export async function startPinned(script, { core = 0, env = {}, args = [] } = {}) {
  const port = await freePort();
  const pin = process.env.BENCH_NO_PIN ? [] : ['taskset', '-c', String(core)];
  const [cmd, ...pre] = pin.length ? pin : [process.execPath];
  const child = spawn(cmd, [...pre, ...(pin.length ? [process.execPath] : []), ...args, script], {
    cwd: ROOT,
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  children.add(child);
  child.once('exit', () => children.delete(child));
  let err = '';
  child.stderr.on('data', (d) => (err += d.toString()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    const ok = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(2_000) }).then((r) => r.status === 200 || r.status === 404, () => false);
    if (ok) break;
    if (child.exitCode !== null) throw new Error(`${script} exited: ${err.slice(-2000)}`);
    if (Date.now() > deadline) throw new Error(`${script} not ready: ${err.slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    pid: child.pid,
    rssMb: () => rssMb(child.pid),
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', resolve);
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 15_000).unref();
      }),
  };
}

export function rssMb(pid) {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Math.round(Number(m[1]) / 1024) : null;
  } catch {
    return null;
  }
}

/** One autocannon run; `bodies` rotates request bodies (string array). */
export function load({ url, path = '/v1/keys/verify', headers = {}, bodies, connections = 64, duration = 10, overallRate }) {
  let i = 0;
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url: url + path,
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        connections,
        duration,
        overallRate,
        requests: [{ setupRequest: (req) => ({ ...req, body: bodies[i++ % bodies.length] }) }],
      },
      (err, r) => (err ? reject(err) : resolve(summarize(r))),
    );
  });
}

function summarize(r) {
  return {
    rps: Math.round(r.requests.average),
    p50Ms: r.latency.p50,
    p99Ms: r.latency.p99,
    errors: r.errors,
    non2xx: r.non2xx,
    total: r.requests.total,
  };
}

export async function gql(url, query, variables = {}, token) {
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  const body = await res.json();
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

export function percentile(values, p) {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}
