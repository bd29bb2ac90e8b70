import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { Webhook } from 'standardwebhooks';
import { startTestApp, type TestApp } from '../harness/app';
import { appId, verifierSetup } from '../verify/verify-helpers';

const PYTHON_DIR = join(__dirname, '..', '..', '..', 'sdk', 'python');

/** A delivery signed by the reference implementation, for the Python webhook tests. */
function webhookVector(): string {
  const secret = `whsec_${Buffer.from('python-webhook-secret-24b').toString('base64')}`;
  const body = JSON.stringify({ type: 'key.revoked', timestamp: new Date().toISOString(), data: { keyId: 'key_1' } });
  const at = new Date();
  const id = 'msg_python_1';
  const headers = { 'webhook-id': id, 'webhook-timestamp': String(Math.floor(at.getTime() / 1000)), 'webhook-signature': new Webhook(secret).sign(id, at, body) };
  return JSON.stringify({ secret, body, headers });
}

describe('Python client (sdk/python) against the running product', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp();
  }, 60_000);
  afterAll(async () => {
    await app?.stop();
  });

  it('python3 -m unittest passes', async () => {
    const probe = spawnSync('python3', ['--version'], { encoding: 'utf8' });
    if (probe.error || probe.status !== 0) {
      throw new Error(`python3 is required for the Python client tests and was not found (${probe.error?.message ?? probe.stderr}); install it, e.g. apt-get install -y python3`);
    }
    const { token, verifier } = await verifierSetup(app);
    const env = {
      ...process.env,
      LATCHKEY_URL: app.url,
      LATCHKEY_VERIFIER_KEY: verifier,
      LATCHKEY_ADMIN_TOKEN: token,
      LATCHKEY_APP_ID: await appId(app, token),
      LATCHKEY_WEBHOOK_VECTOR: webhookVector(),
      PYTHONDONTWRITEBYTECODE: '1',
    };
    // Asynchronous spawn: the product under test runs in this process and must keep answering.
    const result = await new Promise<{ code: number | null; out: string }>((resolve) => {
      const child = spawn('python3', ['-m', 'unittest', 'discover', '-v', '-s', 'tests', '-t', '.'], { cwd: PYTHON_DIR, env });
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (out += d.toString()));
      child.on('close', (code) => resolve({ code, out }));
    });
    if (result.code !== 0) throw new Error(`python unittest failed:\n${result.out}`);
    expect(result.out).toMatch(/Ran \d+ tests/);
    expect(result.out).toMatch(/\nOK/);
    expect(result.out).not.toMatch(/skipped/);
  }, 120_000);
});
