// `npm start`: install if needed, build, bring up the store and Redis when absent,
// then the API, the job workers and the console. Ctrl-C stops everything it started.
import { spawn } from 'node:child_process';
import { get as httpsGet } from 'node:https';
import { rootCertificates } from 'node:tls';
import { existsSync, mkdirSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { ROOT, ensureInstalled, ensureServices, log, run, waitForPort } from './lib/services.mjs';

const DATA = path.join(ROOT, '.data');
const LOCK = path.join(DATA, 'latchkey.pid');
const t0 = Date.now();

function alreadyRunning() {
  if (!existsSync(LOCK)) return false;
  const pid = Number(readFileSync(LOCK, 'utf8'));
  try {
    process.kill(pid, 0);
    return pid;
  } catch {
    return false;
  }
}

const other = alreadyRunning();
if (other) {
  process.stderr.write(`[latchkey] already running (pid ${other}). Stop it with Ctrl-C in its terminal or \`kill ${other}\` first.\n`);
  process.exit(1);
}
mkdirSync(DATA, { recursive: true, mode: 0o700 });
writeFileSync(LOCK, String(process.pid));

const children = [];
let services;
let stopping = false;
async function stopAll(code = 0) {
  if (stopping) return;
  stopping = true;
  log('stopping…');
  await Promise.all(
    children.map(
      (c) =>
        new Promise((resolve) => {
          if (c.exitCode !== null || c.signalCode !== null) return resolve();
          c.once('exit', resolve);
          c.kill('SIGTERM');
          setTimeout(() => c.kill('SIGKILL'), 8_000).unref();
        }),
    ),
  );
  if (services) await services.stop();
  rmSync(LOCK, { force: true });
  process.exit(code);
}
process.on('SIGINT', () => stopAll(0));
process.on('SIGTERM', () => stopAll(0));

try {
  ensureInstalled();
  log('building…');
  run('npx', ['turbo', 'run', 'build', '--output-logs=errors-only'], { env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1' } });
  services = await ensureServices({ dataDir: DATA, logDir: path.join(DATA, 'logs') });
} catch (e) {
  process.stderr.write(`[latchkey] ${e.message}\n`);
  await stopAll(1);
}

const apiPort = Number(process.env.PORT || 4000);
const consolePort = Number(process.env.CONSOLE_PORT || 3000);
const credFile = path.join(DATA, 'admin-credentials.txt');
const env = {
  ...process.env,
  ...services.env,
  PORT: String(apiPort),
  LATCHKEY_ADMIN_CREDENTIALS_FILE: credFile,
  ARCHIVE_DIR: process.env.ARCHIVE_DIR || path.join(DATA, 'archives'),
};

function launch(name, args, extraEnv = {}) {
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...env, ...extraEnv }, stdio: ['ignore', 'inherit', 'inherit'] });
  child.on('exit', (code, signal) => {
    if (!stopping) {
      process.stderr.write(`[latchkey] ${name} exited (${signal ?? code}); stopping everything\n`);
      stopAll(1);
    }
  });
  children.push(child);
  return child;
}

// TLS (docs/SECURITY-OPERATIONS.md): with TLS_CERT_FILE and TLS_KEY_FILE the API serves
// HTTPS/WSS only, and the console runs through client/scripts/https-server.mjs (HTTPS
// only, HSTS). The console's server trusts the certificate too (NODE_EXTRA_CA_CERTS), so
// a self-signed one works; set LATCHKEY_API_URL when it names a host other than 127.0.0.1.
const tls = Boolean(process.env.TLS_CERT_FILE && process.env.TLS_KEY_FILE);
const scheme = tls ? 'https' : 'http';
launch('api', ['server/dist/main.js']);
launch('workers', ['jobs/dist/main.js']);
const standalone = path.join(ROOT, 'client', '.next', 'standalone', 'client', 'server.js');
const consoleEntry = tls ? path.join(ROOT, 'client', 'scripts', 'https-server.mjs') : standalone;
launch('console', [consoleEntry], {
  PORT: String(consolePort),
  HOSTNAME: '127.0.0.1',
  LATCHKEY_API_URL: process.env.LATCHKEY_API_URL || `${scheme}://127.0.0.1:${apiPort}`,
  ...(tls ? { NODE_EXTRA_CA_CERTS: process.env.NODE_EXTRA_CA_CERTS || process.env.TLS_CERT_FILE } : {}),
});

/** /readyz answers 200; over TLS the certificate may be self-signed or name another host (this is local). */
function apiReady() {
  if (!tls) return fetch(`http://127.0.0.1:${apiPort}/readyz`).then((r) => r.ok, () => false);
  const ca = [readFileSync(process.env.TLS_CERT_FILE, 'utf8'), ...rootCertificates];
  return new Promise((resolve) => {
    const req = httpsGet({ host: '127.0.0.1', port: apiPort, path: '/readyz', ca, checkServerIdentity: () => undefined }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
  });
}

await waitForPort(apiPort, '127.0.0.1', 60_000);
// Ready means MongoDB and Redis answer and the first-start seeding has run.
for (let i = 0; i < 120; i++) {
  if (await apiReady()) break;
  await new Promise((r) => setTimeout(r, 500));
}
await waitForPort(consolePort, '127.0.0.1', 60_000);

log(`ready in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
log(`console: ${scheme}://127.0.0.1:${consolePort}`);
log(`api:     ${scheme}://127.0.0.1:${apiPort}/graphql  (health: /healthz, /readyz, metrics: /metrics)`);
if (existsSync(credFile)) {
  log(`first admin credentials (shown until you delete ${path.relative(ROOT, credFile)}):`);
  process.stdout.write(`${readFileSync(credFile, 'utf8').trimEnd().replace(/^/gm, '           ')}\n`);
}
log('press Ctrl-C to stop');
