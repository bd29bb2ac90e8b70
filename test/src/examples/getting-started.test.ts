import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createProtectedService } from '../../../examples/protected-service/src/app';
import { createKeys } from '../../../examples/protected-service/src/create-keys';
import { startTestApp, type TestApp } from '../harness/app';
import { OWNER } from '../keys/key-helpers';
import { listen } from '../sdk/sdk-helpers';
import { Latchkey } from '@latchkey/sdk';

const ROOT = join(__dirname, '..', '..', '..');
const SNIPPETS = ['examples/protected-service/src/create-keys.ts', 'docs/snippets/protect.ts', 'docs/snippets/call-service.sh', 'docs/snippets/verify.py'];

function run(cmd: string, args: string[], env: Record<string, string>): Promise<{ code: number | null; out: string }> {
  // Asynchronous: the product and the service answer from this process meanwhile.
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: ROOT, env: { ...process.env, ...env } });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('close', (code) => resolve({ code, out }));
  });
}

// docs/GETTING-STARTED.md shows these files verbatim; this runs each of them.
describe('getting started', () => {
  let app: TestApp;
  let keys: { serviceKey: string | null; userKey: string | null; userKeyId: string };
  let svc: { url: string; close(): Promise<void> };
  let latchkey: Latchkey;

  beforeAll(async () => {
    app = await startTestApp();
    keys = await createKeys(app.url, OWNER.email, OWNER.password);
    latchkey = new Latchkey({ apiKey: keys.serviceKey ?? '', baseUrl: app.url });
    svc = await listen(createProtectedService({ latchkey }));
  }, 60_000);
  afterAll(async () => {
    await svc?.close();
    await latchkey?.close();
    await app?.stop();
  });

  it('the page contains every snippet file exactly', () => {
    const doc = readFileSync(join(ROOT, 'docs', 'GETTING-STARTED.md'), 'utf8');
    for (const f of SNIPPETS) expect({ file: f, inDoc: doc.includes(readFileSync(join(ROOT, f), 'utf8').trimEnd()) }).toEqual({ file: f, inDoc: true });
  });

  it('step 2 (TypeScript) issues a service key and a user key', () => {
    expect(keys.serviceKey).toMatch(/^lk_/);
    expect(keys.userKey).toMatch(/^lk_/);
  });

  it('step 3 (TypeScript) protects /users', async () => {
    process.env.LATCHKEY_SERVICE_KEY = keys.serviceKey ?? '';
    process.env.LATCHKEY_URL = app.url;
    // Loaded only now: the snippet reads its configuration from the environment at load.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const snippet = require('../../../docs/snippets/protect') as typeof import('../../../docs/snippets/protect');
    const s = await listen(snippet.app);
    try {
      const ok = await fetch(`${s.url}/users`, { headers: { authorization: `Bearer ${keys.userKey}` } });
      expect(ok.status).toBe(200);
      expect(((await ok.json()) as { keyId: string }).keyId).toBe(keys.userKeyId);
      expect(ok.headers.get('ratelimit-policy')).toBe('"minute";q=60;w=60');
      expect((await fetch(`${s.url}/users`)).status).toBe(401);
    } finally {
      await s.close();
      await snippet.latchkey.close();
    }
  });

  it('step 4 (curl) answers 200, 200, 202, 403 and VALID', async () => {
    const r = await run('bash', ['docs/snippets/call-service.sh'], {
      SERVICE_URL: svc.url,
      LATCHKEY_URL: app.url,
      USER_KEY: keys.userKey ?? '',
      LATCHKEY_SERVICE_KEY: keys.serviceKey ?? '',
    });
    expect(r.code).toBe(0);
    const statuses = [...r.out.matchAll(/^HTTP\/1\.1 (\d+)/gm)].map((m) => Number(m[1]));
    expect(statuses).toEqual([200, 200, 202, 403]);
    expect(r.out).toMatch(/RateLimit: "minute";r=\d+;t=\d+/i);
    expect(r.out).toContain('"code":"INSUFFICIENT_PERMISSIONS"');
    expect(r.out).toContain('"code":"VALID"');
  });

  it('step 5 (Python) verifies the user key', async () => {
    const r = await run('python3', ['docs/snippets/verify.py'], {
      PYTHONPATH: join(ROOT, 'sdk', 'python'),
      LATCHKEY_URL: app.url,
      USER_KEY: keys.userKey ?? '',
      LATCHKEY_SERVICE_KEY: keys.serviceKey ?? '',
      PYTHONDONTWRITEBYTECODE: '1',
    });
    expect(r.out).toMatch(/^VALID \{'limit': 60/);
    expect(r.code).toBe(0);
  });
});
