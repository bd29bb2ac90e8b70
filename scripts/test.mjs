// `npm test`: the same set-up as `npm start` (install, build, services), a fresh
// temporary data directory, Debian's Chromium for the browser tests, then every test.
import { mkdtempSync, rmSync } from 'node:fs';
import { spawnSync, spawn } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { ROOT, ensureInstalled, ensureServices, log, run } from './lib/services.mjs';

const t0 = Date.now();
ensureInstalled();
ensureChromium();
log('building…');
run('npx', ['turbo', 'run', 'build', '--output-logs=errors-only'], { env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1' } });
log('lint and typecheck…');
run('npx', ['turbo', 'run', 'lint', 'typecheck', '--output-logs=errors-only'], { env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1' } });
// Layers and import cycles across workspaces (.dependency-cruiser.cjs): not a per-workspace turbo task.
run('npm', ['run', '--silent', 'lint:layers']);

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'latchkey-test-'));
const services = await ensureServices({ dataDir, logDir: path.join(dataDir, 'logs') });
let code = 1;
try {
  const args = ['jest', '--ci', ...process.argv.slice(2)];
  const child = spawn('npx', args, {
    cwd: ROOT,
    stdio: 'inherit',
    env: { ...process.env, ...services.env, NODE_ENV: 'test', LATCHKEY_WEBHOOK_ALLOW_LOOPBACK: 'true', LATCHKEY_TEST_DATA_DIR: dataDir },
  });
  code = await new Promise((resolve) => child.on('exit', (c, s) => resolve(c ?? (s ? 1 : 0))));
} finally {
  await services.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
log(`tests ${code === 0 ? 'passed' : 'FAILED'} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
process.exit(code);

function ensureChromium() {
  if (spawnSync('sh', ['-c', 'command -v chromium']).status === 0) return;
  if (process.getuid?.() !== 0) {
    log('chromium is missing and we are not root: install Debian\'s `chromium` package for the browser tests');
    process.exit(1);
  }
  log('installing Debian\'s chromium for the browser tests (apt-get)…');
  run('sh', ['-c', 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null']);
}
