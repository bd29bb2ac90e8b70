import { startTestApp, type TestApp } from '../harness/app';
import { loginOwner } from '../keys/key-helpers';
import { sleep, wsHandshake } from './security-helpers';

/**
 * Security case 6, the slow part: a console session (shortest allowed TTL, 60 s) whose
 * socket stays open past the session's end is closed with 4403 at that moment, not left
 * streaming on the authorization it had at connection_init.
 */
describe('graphql-ws: an expiring session ends its socket', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ env: { SESSION_TTL_SECONDS: '60' } });
  });
  afterAll(() => app?.stop());

  it('closes the socket with 4403 when the session expires', async () => {
    const token = await loginOwner(app);
    const loggedInAt = Date.now();
    const r = await wsHandshake(app.wsUrl, { payload: { authorization: `Bearer ${token}` }, waitMs: 2_000 });
    expect(r.acked).toBe(true);
    const closed = new Promise<{ code: number; at: number }>((resolve) => r.socket.on('close', (code: number) => resolve({ code, at: Date.now() })));
    const c = await Promise.race([closed, sleep(75_000).then(() => ({ code: 0, at: Date.now() }))]);
    expect(c.code).toBe(4403);
    const after = (c.at - loggedInAt) / 1000;
    process.stdout.write(`session socket closed ${after.toFixed(1)} s after sign-in (TTL 60 s)\n`);
    expect(after).toBeGreaterThanOrEqual(59);
    expect(after).toBeLessThan(65);
  }, 90_000);
});
