// `npm run bench`: the same set-up as `npm test` (install, build, store, Redis), then
// the benchmarks pinned to cores. Results: bench/results/*.json, docs/PERFORMANCE.md.
import { mkdtempSync, rmSync } from 'node:fs';
import { spawn } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { ROOT, ensureInstalled, ensureServices, log, run } from './lib/services.mjs';

ensureInstalled();
run('npx', ['turbo', 'run', 'build', '--filter=@latchkey/server', '--output-logs=errors-only'], { env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1' } });
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'latchkey-bench-'));
const services = await ensureServices({ dataDir, logDir: path.join(dataDir, 'logs') });
let code = 1;
try {
  const child = spawn('taskset', ['-c', '1', process.execPath, 'test/bench/verify.bench.mjs'], { cwd: ROOT, stdio: 'inherit', env: { ...process.env, ...services.env } });
  code = await new Promise((resolve) => child.on('exit', (c) => resolve(c ?? 1)));
} finally {
  await services.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
log(`bench ${code === 0 ? 'done' : 'FAILED'}`);
process.exit(code);
