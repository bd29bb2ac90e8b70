import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { latchkeyCli, type CliIo } from '@latchkey/server';
import { generateKey } from '@latchkey/server/testing';
import { startTestApp, type TestApp } from '../harness/app';
import { serviceKey, verifierSetup, verifyHttp } from '../verify/verify-helpers';
import { setReporterSecret } from './security-helpers';

jest.setTimeout(120_000);

const CLI = resolve(__dirname, '../../../server/dist/cli/latchkey.js');

function captureIo(env: Record<string, string | undefined> = {}): CliIo & { stdout: string; stderr: string } {
  const io = { stdout: '', stderr: '', env, out: (s: string) => void (io.stdout += s), err: (s: string) => void (io.stderr += s) };
  return io;
}

/** Right format, wrong checksum: what a scanner must NOT report. */
function lookAlike(key: string): string {
  return key.slice(0, -1) + (key.endsWith('A') ? 'B' : 'A');
}

describe('latchkey scan', () => {
  const real = generateKey({ environment: 'production' }).key;
  const devKey = generateKey({ environment: 'development', prefix: 'acme', bytes: 24 }).key;

  it('finds real keys (file:line, masked) and ignores look-alikes with a wrong checksum', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lk-scan-'));
    mkdirSync(join(dir, 'config'));
    mkdirSync(join(dir, 'node_modules', 'dep'), { recursive: true });
    writeFileSync(join(dir, 'config', '.env'), `# service settings\nLATCHKEY_API_KEY=${real}\n`);
    writeFileSync(join(dir, 'app.ts'), `const example = "${lookAlike(real)}";\nconst glued = 'MY_${devKey}';\n`);
    writeFileSync(join(dir, 'node_modules', 'dep', 'index.js'), `module.exports = "${real}";\n`);
    writeFileSync(join(dir, 'blob.bin'), Buffer.concat([Buffer.from([0, 1, 2]), Buffer.from(real)]));

    const io = captureIo();
    expect(await latchkeyCli(['scan', dir], io)).toBe(1);
    const lines = io.stdout.trim().split('\n');
    expect(lines).toEqual([
      `${join(dir, 'app.ts')}:2:19: Latchkey API key ${devKey.slice(0, 13)}…${devKey.slice(-4)}`,
      `${join(dir, 'config', '.env')}:2:18: Latchkey API key ${real.slice(0, 11)}…${real.slice(-4)}`,
    ]);
    // The secret itself is never printed.
    expect(io.stdout + io.stderr).not.toContain(real);
    expect(io.stderr).toMatch(/environment variables/);
  });

  it('exits 0 on a tree without keys and 2 on bad usage', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lk-scan-clean-'));
    writeFileSync(join(dir, 'README.md'), `Keys look like ${lookAlike(real)} — this one is not real.\n`);
    expect(await latchkeyCli(['scan', dir], captureIo())).toBe(0);
    expect(await latchkeyCli(['scan'], captureIo())).toBe(2);
    expect(await latchkeyCli(['scan', '--report', 'http://127.0.0.1:1', dir], captureIo())).toBe(2);
  });

  describe('with a running API', () => {
    let app: TestApp;
    beforeAll(async () => {
      app = await startTestApp();
    });
    afterAll(async () => {
      await app?.stop();
    });

    it('--report sends findings to /v1/leaks and the key is suspended', async () => {
      const { token, verifier } = await verifierSetup(app);
      const k = await serviceKey(app, token);
      const secret = await setReporterSecret(app, token);
      const dir = mkdtempSync(join(tmpdir(), 'lk-scan-report-'));
      writeFileSync(join(dir, 'settings.py'), `API_KEY = "${k.secret}"\n`);
      const io = captureIo({ LATCHKEY_REPORTER_SECRET: secret });
      expect(await latchkeyCli(['scan', '--report', app.url, dir], io)).toBe(1);
      expect(io.stderr).toMatch(/1 matched a key/);
      expect((await verifyHttp(app, verifier, { key: k.secret })).body.code).toBe('SUSPENDED');
    });
  });

  it('install-hook stops a commit whose staged content holds a key', () => {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build -w server\` first`);
    const repo = mkdtempSync(join(tmpdir(), 'lk-hook-'));
    const git = (...args: string[]) => spawnSync('git', ['-c', 'user.email=t@example.test', '-c', 'user.name=t', ...args], { cwd: repo, encoding: 'utf8' });
    execFileSync('git', ['init', '-q'], { cwd: repo });
    const installed = spawnSync(process.execPath, [CLI, 'install-hook'], { cwd: repo, encoding: 'utf8' });
    expect(installed.status).toBe(0);
    writeFileSync(join(repo, 'ok.txt'), `nothing secret, only ${lookAlike(real)}\n`);
    git('add', 'ok.txt');
    expect(git('commit', '-q', '-m', 'clean').status).toBe(0);
    writeFileSync(join(repo, 'config.env'), `KEY=${real}\n`);
    git('add', 'config.env');
    const blocked = git('commit', '-q', '-m', 'leak');
    expect(blocked.status).not.toBe(0);
    expect(blocked.stdout + blocked.stderr).toContain('config.env:1:5: Latchkey API key');
    // Only the staged content counts: removing the key from the index lets the commit through.
    writeFileSync(join(repo, 'config.env'), 'KEY=${LATCHKEY_API_KEY}\n');
    git('add', 'config.env');
    expect(git('commit', '-q', '-m', 'env var').status).toBe(0);
  });
});
