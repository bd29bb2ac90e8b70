import { startTestApp, type TestApp } from '../harness/app';
import { errorCode, gql } from '../harness/graphql';
import { auditEvents, createUser, loginOwner, meOf, OWNER } from './access-helpers';

const LOGIN = 'mutation($e:String!,$p:String!){ login(email:$e, password:$p){ token } }';

async function attempt(app: TestApp, email: string, password: string, headers: Record<string, string> = {}) {
  const started = process.hrtime.bigint();
  const r = await gql<{ login: { token: string } }>(app.url, LOGIN, { e: email, p: password }, { headers });
  return { r, ms: Number(process.hrtime.bigint() - started) / 1e6 };
}

describe('sign-in', () => {
  let app: TestApp;
  beforeAll(async () => {
    // Generous limits: these tests fail on purpose and must not trip the limiter.
    app = await startTestApp({ env: { LOGIN_MAX_FAILURES_PER_EMAIL: '100', LOGIN_MAX_FAILURES_PER_IP: '100' } });
  });
  afterAll(() => app.stop());

  it('a failure says nothing about whether the email exists', async () => {
    const owner = await loginOwner(app);
    const disabled = await createUser(app, owner, ['viewer']);
    await gql(app.url, 'mutation($id:ID!){ disableUser(id:$id){ id } }', { id: disabled.id }, { token: owner });
    const answers = [
      (await attempt(app, 'nobody@example.test', 'whatever it is 123')).r,
      (await attempt(app, OWNER.email, 'wrong password 123')).r,
      (await attempt(app, disabled.email, disabled.password)).r,
    ];
    for (const r of answers) {
      expect(r.status).toBe(200);
      expect(r.data).toBeUndefined();
      expect(r.errors).toEqual([{ message: 'Invalid email or password.', path: ['login'], locations: expect.any(Array), extensions: { code: 'UNAUTHENTICATED' } }]);
    }
  });

  it('an unknown email costs about as much time as a wrong password (dummy argon2 verification)', async () => {
    const time = async (email: string) => {
      const runs: number[] = [];
      for (let i = 0; i < 5; i++) runs.push((await attempt(app, email, `not the password ${i}x`)).ms);
      return runs.sort((a, b) => a - b)[2] as number;
    };
    const known = await time(OWNER.email);
    const unknown = await time('nobody.timing@example.test');
    expect(unknown).toBeGreaterThan(known / 3);
    expect(unknown).toBeLessThan(known * 3);
  });

  it('successful and failed sign-ins are audited with request facts', async () => {
    const token = await loginOwner(app);
    const { orgId, id } = await meOf(app, token);
    await attempt(app, OWNER.email, 'definitely wrong 99', { 'x-request-id': 'req-audit-login-1', 'user-agent': 'access-test' });
    const ok = await auditEvents(app, orgId, 'user.login');
    expect(ok.some((e) => e.actor.id === id && e.target.type === 'session')).toBe(true);
    const failed = await auditEvents(app, orgId, 'user.login_failed');
    const mine = failed.find((e) => e.requestId === 'req-audit-login-1');
    expect(mine).toMatchObject({ actor: { type: 'user', id }, target: { type: 'user', id }, after: { reason: 'wrong password' } });
    expect(JSON.stringify(failed)).not.toContain('definitely wrong');
  });
});

describe('sign-in rate limits', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ env: { LOGIN_MAX_FAILURES_PER_EMAIL: '10', LOGIN_MAX_FAILURES_PER_IP: '30' } });
  });
  afterAll(() => app.stop());

  it('after 10 failures for one email even the right password is refused with RATE_LIMITED', async () => {
    const owner = await loginOwner(app);
    const u = await createUser(app, owner, ['viewer']);
    for (let i = 0; i < 10; i++) expect(errorCode((await attempt(app, u.email, `wrong guess number ${i}`)).r)).toBe('UNAUTHENTICATED');
    const limited = (await attempt(app, u.email, u.password)).r;
    expect(errorCode(limited)).toBe('RATE_LIMITED');
    expect(limited.errors?.[0]?.extensions?.retryAfterSeconds).toBeGreaterThan(0);
    // Other people are not affected by one email's lockout.
    expect(errorCode((await attempt(app, OWNER.email, OWNER.password)).r)).toBeUndefined();
  });

  it('after 30 failures from one address every sign-in from it is refused', async () => {
    // 10 failures already came from this address in the previous test.
    for (let i = 0; i < 20; i++) await attempt(app, `stranger${i}@example.test`, 'some wrong password');
    const r = (await attempt(app, OWNER.email, OWNER.password)).r;
    expect(errorCode(r)).toBe('RATE_LIMITED');
    expect(r.errors?.[0]?.message).toMatch(/too many failed sign-in attempts/);
  });
});
