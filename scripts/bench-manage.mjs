// `npm run bench:manage` (issue 16, item 6): the management paths — key actions, listings,
// the audit log, sign-in and the console's keys page — measured at 1k, 10k and 100k keys on
// the embedded store. Same set-up as `npm run bench` (install, build, a store and Redis of
// its own under a temp dir); the measuring client is test/bench/manage/run.ts on core 1.
// Results: bench/results/manage-<time>.json and a section of docs/PERFORMANCE.md.
// BENCH_MANAGE_SIZES=1000,10000 runs smaller sizes; see run.ts for the other knobs.
import { mkdtempSync, rmSync } from 'node:fs';
import { execFileSync, spawn } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { ROOT, ensureInstalled, ensureServices, log, run } from './lib/services.mjs';

ensureInstalled();
// Server, workers and the console's standalone build (turbo skips what is up to date).
run('npx', ['turbo', 'run', 'build', '--filter=@latchkey/server', '--filter=@latchkey/jobs', '--filter=@latchkey/console', '--output-logs=errors-only'], {
  env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1' },
});
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'latchkey-bench-manage-'));
const services = await ensureServices({ dataDir, logDir: path.join(dataDir, 'logs') });
// Which store the figures belong to: the embedded FerretDB's build changes what is pushed down.
const ferretCommit = execFileSync('git', ['log', '-1', '--format=%h', '--', 'tools/ferretdb'], { cwd: ROOT, encoding: 'utf8' }).trim();
const ferretDirty = execFileSync('git', ['status', '--porcelain', '--', 'tools/ferretdb'], { cwd: ROOT, encoding: 'utf8' }).trim() !== '';
const storeLabel = process.env.MONGODB_URI
  ? 'the MongoDB at MONGODB_URI'
  : `embedded FerretDB 1.24 (SQLite) built from tools/ferretdb at ${ferretCommit || '(no commit)'}${ferretDirty ? ' plus uncommitted changes' : ''}`;
let code = 1;
try {
  const pin = process.env.BENCH_NO_PIN ? [] : ['taskset', '-c', '1'];
  const argv = [...pin, process.execPath, '-r', './test/bench/manage/register-ts.cjs', 'test/bench/manage/run.ts'];
  const child = spawn(argv[0], argv.slice(1), { cwd: ROOT, stdio: 'inherit', env: { ...process.env, ...services.env, BENCH_STORE_LABEL: storeLabel } });
  code = await new Promise((resolve) => child.on('exit', (c) => resolve(c ?? 1)));
} finally {
  await services.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
log(`bench:manage ${code === 0 ? 'done' : code === 2 ? 'stopped by its watchdog (partial results written)' : 'FAILED'}`);
process.exit(code);
