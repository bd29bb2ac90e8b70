// Brings up what is missing — MongoDB-compatible store and Redis — and nothing else.
// Shared by `npm start`, `npm test` and the benchmarks. Node built-ins only: it runs
// before dependencies are installed.
import { spawn, spawnSync, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, cpSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';

export const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
const FERRET_DIR = path.join(ROOT, 'tools', 'ferretdb');
const FERRET_BIN = path.join(FERRET_DIR, 'bin', 'ferretdb');
const FERRET_STAMP = path.join(FERRET_DIR, 'bin', '.source-hash');

export function log(msg) {
  process.stdout.write(`[latchkey] ${msg}\n`);
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

export function waitForPort(port, host = '127.0.0.1', timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      const sock = net.connect(port, host);
      sock.once('connect', () => {
        sock.destroy();
        resolve();
      });
      sock.once('error', () => {
        sock.destroy();
        if (Date.now() > deadline) reject(new Error(`nothing answered on ${host}:${port} within ${timeoutMs} ms`));
        else setTimeout(attempt, 150);
      });
    };
    attempt();
  });
}

/** Sends PING over a raw socket; resolves true on +PONG. */
export function redisPing(host, port, timeoutMs = 1_000) {
  return new Promise((resolve) => {
    const sock = net.connect(port, host);
    const done = (ok) => {
      sock.destroy();
      resolve(ok);
    };
    sock.setTimeout(timeoutMs, () => done(false));
    sock.once('error', () => done(false));
    sock.once('connect', () => sock.write('PING\r\n'));
    sock.once('data', (d) => done(d.toString().startsWith('+PONG')));
  });
}

/** Files under dir, relative to it, sorted (so the hash does not depend on readdir order). */
function filesUnder(dir, rel = '') {
  if (!existsSync(path.join(dir, rel))) return [];
  return readdirSync(path.join(dir, rel), { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? filesUnder(dir, path.join(rel, e.name)) : [path.join(rel, e.name)]))
    .sort();
}

function ferretSourceHash() {
  const h = createHash('sha256');
  const overlay = JSON.parse(readFileSync(path.join(FERRET_DIR, 'patches.json'), 'utf8')).overlay;
  const files = ['go.mod', 'go.sum', 'main.go', 'patches.json', ...(overlay ? filesUnder(path.join(FERRET_DIR, overlay)).map((f) => path.join(overlay, f)) : [])];
  for (const f of files) h.update(`${f}\0`).update(readFileSync(path.join(FERRET_DIR, f)));
  return h.digest('hex');
}

/** Makes a copied tree writable: the module cache is read-only, and so is its copy. */
function makeWritable(p) {
  chmodSync(p, statSync(p).isDirectory() ? 0o755 : 0o644);
  if (statSync(p).isDirectory()) for (const e of readdirSync(p)) makeWritable(path.join(p, e));
}

/**
 * tools/ferretdb/patches.json says how our FerretDB differs from the released module:
 * `overlay` names a directory of our own Go files, copied into the module at the same
 * paths (new files only), and `patches` are exact source replacements, each of which must
 * match exactly once. The module is copied from the module cache into bin/ferretdb-src
 * (git-ignored), changed there, and used through a `replace` directive in a generated
 * go.mod (`-modfile`), so no FerretDB source lives in this repository. Anything that does
 * not apply fails the build loudly.
 */
function preparePatchedFerret(env) {
  const spec = JSON.parse(readFileSync(path.join(FERRET_DIR, 'patches.json'), 'utf8'));
  execFileSync('go', ['mod', 'download', spec.module], { cwd: FERRET_DIR, env, stdio: ['ignore', 'ignore', 'inherit'] });
  const dir = execFileSync('go', ['list', '-m', '-f', '{{.Dir}}', spec.module], { cwd: FERRET_DIR, env, encoding: 'utf8' }).trim();
  const src = path.join(FERRET_DIR, 'bin', 'ferretdb-src');
  if (existsSync(src)) makeWritable(src);
  rmSync(src, { recursive: true, force: true });
  cpSync(dir, src, { recursive: true });
  makeWritable(src);
  for (const f of spec.overlay ? filesUnder(path.join(FERRET_DIR, spec.overlay)) : []) {
    const to = path.join(src, f);
    if (existsSync(to)) throw new Error(`FerretDB overlay ${f}: the module already has this file; was the module version changed?`);
    mkdirSync(path.dirname(to), { recursive: true });
    copyFileSync(path.join(FERRET_DIR, spec.overlay, f), to);
  }
  for (const p of spec.patches) {
    const file = path.join(src, p.file);
    const text = readFileSync(file, 'utf8');
    const found = text.split(p.replace).length - 1;
    if (found !== 1) throw new Error(`FerretDB patch ${p.file}: text found ${found} times, not once (${p.replace}); was the module version changed?`);
    writeFileSync(file, text.replace(p.replace, () => p.with));
  }
  const modfile = path.join(FERRET_DIR, 'bin', 'go.patched.mod');
  writeFileSync(modfile, `${readFileSync(path.join(FERRET_DIR, 'go.mod'), 'utf8')}\nreplace ${spec.module} => ${src}\n`);
  copyFileSync(path.join(FERRET_DIR, 'go.sum'), path.join(FERRET_DIR, 'bin', 'go.patched.sum'));
  return modfile;
}

/** Builds the embedded FerretDB wrapper when its sources changed since the last build. */
export function ensureFerretBinary() {
  const hash = ferretSourceHash();
  if (existsSync(FERRET_BIN) && existsSync(FERRET_STAMP) && readFileSync(FERRET_STAMP, 'utf8') === hash) return FERRET_BIN;
  const go = spawnSync('go', ['version'], { encoding: 'utf8' });
  if (go.status !== 0) {
    throw new Error('Go is needed to build the embedded FerretDB (tools/ferretdb). Install Go ≥ 1.24, or set MONGODB_URI to a MongoDB server.');
  }
  log('building the embedded MongoDB-compatible server (FerretDB; first time takes about a minute)…');
  const started = Date.now();
  const env = { ...process.env, CGO_ENABLED: '0', GOFLAGS: '-mod=mod' };
  mkdirSync(path.dirname(FERRET_BIN), { recursive: true });
  const modfile = preparePatchedFerret(env);
  // built beside and renamed over: FerretDB processes running the old binary keep it
  const fresh = `${FERRET_BIN}.new`;
  execFileSync('go', ['build', '-trimpath', `-modfile=${modfile}`, '-o', fresh, '.'], {
    cwd: FERRET_DIR,
    stdio: ['ignore', 'inherit', 'inherit'],
    env,
  });
  renameSync(fresh, FERRET_BIN);
  writeFileSync(FERRET_STAMP, hash);
  log(`FerretDB built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return FERRET_BIN;
}

/**
 * Returns { env, stop } where env has MONGODB_URI and REDIS_URL for the children and
 * stop() ends whatever this call started (and nothing it found already running).
 */
export async function ensureServices({ dataDir, logDir }) {
  const started = [];
  const env = {};
  mkdirSync(logDir, { recursive: true });

  if (process.env.MONGODB_URI) {
    env.MONGODB_URI = process.env.MONGODB_URI;
    log(`MongoDB: using MONGODB_URI`);
  } else {
    const bin = ensureFerretBinary();
    const port = await freePort();
    const dir = path.join(dataDir, 'ferretdb');
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const out = openSync(path.join(logDir, 'ferretdb.log'), 'a');
    const child = spawn(bin, ['-listen', `127.0.0.1:${port}`, '-dir', dir], { stdio: ['ignore', out, out] });
    started.push({ name: 'ferretdb', child });
    await waitForPort(port);
    env.MONGODB_URI = `mongodb://127.0.0.1:${port}/`;
    log(`MongoDB: embedded FerretDB on 127.0.0.1:${port} (data in ${path.relative(ROOT, dir) || dir})`);
  }

  if (process.env.REDIS_URL) {
    env.REDIS_URL = process.env.REDIS_URL;
    log('Redis: using REDIS_URL');
  } else if (await redisPing('127.0.0.1', 6379)) {
    env.REDIS_URL = 'redis://127.0.0.1:6379';
    log('Redis: using the one answering on 127.0.0.1:6379');
  } else {
    const bin = ensureRedisBinary();
    const port = await freePort();
    const dir = path.join(dataDir, 'redis');
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const child = spawn(
      bin,
      [
        '--port', String(port),
        '--bind', '127.0.0.1',
        '--dir', dir,
        '--appendonly', 'yes',
        '--maxmemory-policy', 'noeviction',
        '--save', '',
        '--logfile', path.join(logDir, 'redis.log'),
      ],
      { stdio: 'ignore' },
    );
    started.push({ name: 'redis', child });
    await waitForPort(port);
    env.REDIS_URL = `redis://127.0.0.1:${port}`;
    log(`Redis: started redis-server on 127.0.0.1:${port} (appendonly, noeviction, data in ${path.relative(ROOT, dir)})`);
  }

  const stop = async () => {
    await Promise.all(
      started.reverse().map(
        ({ child }) =>
          new Promise((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            child.once('exit', resolve);
            child.kill('SIGTERM');
            setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
          }),
      ),
    );
  };
  return { env, stop, started };
}

function ensureRedisBinary() {
  const which = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' });
  if (which.status === 0) return which.stdout.trim();
  if (process.getuid && process.getuid() === 0 && spawnSync('sh', ['-c', 'command -v apt-get']).status === 0) {
    log('installing redis-server with apt-get…');
    execFileSync('sh', ['-c', 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null'], { stdio: 'inherit' });
    return 'redis-server';
  }
  throw new Error('Redis is not running and redis-server is not installed. Install it (Debian: `sudo apt-get install redis-server`) or set REDIS_URL.');
}

/** Installs dependencies when node_modules is absent or older than the lock file. */
export function ensureInstalled() {
  const marker = path.join(ROOT, 'node_modules', '.package-lock.json');
  const lock = path.join(ROOT, 'package-lock.json');
  if (existsSync(marker) && existsSync(lock)) return;
  log('installing dependencies (npm ci)…');
  execFileSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: ROOT, stdio: 'inherit' });
}

export function run(cmd, args, opts = {}) {
  execFileSync(cmd, args, { cwd: ROOT, stdio: 'inherit', ...opts });
}
