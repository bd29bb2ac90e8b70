import { startTestApp, type TestApp } from '../harness/app';
import { errorCode, gql, gqlOk } from '../harness/graphql';
import { createUser, dbOf, login, loginOwner, OWNER } from './access-helpers';

const ME = '{ me { id kind scopes isPlatformAdmin user { email } organization { name slug keyPrefix } } }';

describe('sessions', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ env: { SESSION_TTL_SECONDS: '60' } });
  });
  afterAll(() => app.stop());

  it('the first start created the Default organization and its owner, a platform administrator', async () => {
    const token = await loginOwner(app);
    const d = await gqlOk<{
      me: { kind: string; scopes: string[]; isPlatformAdmin: boolean; user: { email: string }; organization: { name: string; slug: string; keyPrefix: string } };
    }>(app.url, ME, {}, { token });
    expect(d.me).toMatchObject({
      kind: 'user',
      scopes: ['*:*'],
      isPlatformAdmin: true,
      user: { email: OWNER.email },
      organization: { name: 'Default', slug: 'default', keyPrefix: 'lk' },
    });
  });

  it('login returns an lks_ token and sets an httpOnly SameSite=Lax cookie that authenticates', async () => {
    const r = await gql<{ login: { token: string; user: { email: string }; expiresAt: string } }>(
      app.url,
      'mutation($e:String!,$p:String!){ login(email:$e, password:$p){ token expiresAt user { email } } }',
      { e: 'OWNER@example.test', p: OWNER.password },
    );
    if (!r.data) throw new Error(JSON.stringify(r.errors));
    const { token, user, expiresAt } = r.data.login;
    expect(token).toMatch(/^lks_[A-Za-z0-9_-]{43}$/);
    expect(user.email).toBe(OWNER.email);
    expect(new Date(expiresAt).getTime() - Date.now()).toBeLessThanOrEqual(60_000);
    const cookie = r.headers.get('set-cookie') ?? '';
    expect(cookie).toContain(`lk_session=${token}`);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).not.toMatch(/Secure/i); // no TLS configured in tests
    const viaCookie = await gqlOk<{ me: { user: { email: string } } }>(app.url, ME, {}, { headers: { cookie: `lk_session=${token}` } });
    expect(viaCookie.me.user.email).toBe(OWNER.email);
  });

  it('the token is stored only as an HMAC', async () => {
    const token = await loginOwner(app);
    const conn = await dbOf(app);
    try {
      const raw = JSON.stringify(await conn.collection('sessions').find({}).toArray());
      expect(raw).not.toContain(token);
      expect(raw).not.toContain(token.slice(4));
    } finally {
      await conn.close();
    }
  });

  it('logout ends the session at once and clears the cookie', async () => {
    const token = await loginOwner(app);
    const r = await gql<{ logout: boolean }>(app.url, 'mutation { logout }', {}, { token });
    expect(r.data?.logout).toBe(true);
    expect(r.headers.get('set-cookie') ?? '').toMatch(/lk_session=;.*Expires=Thu, 01 Jan 1970/i);
    const after = await gql(app.url, ME, {}, { token });
    expect(errorCode(after)).toBe('UNAUTHENTICATED');
  });

  it('an expired session is refused', async () => {
    const token = await loginOwner(app);
    const conn = await dbOf(app);
    try {
      const { sessionId } = (await gqlOk<{ me: { sessionId: string } }>(app.url, '{ me { sessionId } }', {}, { token })).me;
      await conn.collection('sessions').updateOne({ _id: sessionId as never }, { $set: { expiresAt: new Date(Date.now() - 1000) } });
    } finally {
      await conn.close();
    }
    expect(errorCode(await gql(app.url, ME, {}, { token }))).toBe('UNAUTHENTICATED');
  });

  it('malformed, unknown and URL-borne session tokens are refused, not treated as anonymous', async () => {
    expect(errorCode(await gql(app.url, ME, {}, { token: 'lks_short' }))).toBe('UNAUTHENTICATED');
    expect(errorCode(await gql(app.url, ME, {}, { token: `lks_${'A'.repeat(43)}` }))).toBe('UNAUTHENTICATED');
    const token = await loginOwner(app);
    const res = await fetch(`${app.url}/graphql?api_key=${token}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: ME }) });
    expect(((await res.json()) as { errors?: { extensions?: { code?: string } }[] }).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('anonymous callers get UNAUTHENTICATED', async () => {
    expect(errorCode(await gql(app.url, ME))).toBe('UNAUTHENTICATED');
  });

  it('changing the password ends every session at once and returns a fresh one', async () => {
    const owner = await loginOwner(app);
    const u = await createUser(app, owner, ['developer']);
    const other = await login(app, u.email, u.password);
    const newPassword = 'saffron kettle drum 19 meadow';
    const r = await gqlOk<{ changePassword: { token: string } }>(
      app.url,
      'mutation($c:String!,$n:String!){ changePassword(currentPassword:$c, newPassword:$n){ token } }',
      { c: u.password, n: newPassword },
      { token: u.token },
    );
    for (const t of [u.token, other]) expect(errorCode(await gql(app.url, ME, {}, { token: t }))).toBe('UNAUTHENTICATED');
    await gqlOk(app.url, ME, {}, { token: r.changePassword.token });
    expect(errorCode(await gql(app.url, 'mutation($e:String!,$p:String!){ login(email:$e, password:$p){ token } }', { e: u.email, p: u.password }))).toBe('UNAUTHENTICATED');
    await login(app, u.email, newPassword);
  });

  it('changing the password checks the current one and the rules, with field paths', async () => {
    const owner = await loginOwner(app);
    const u = await createUser(app, owner, ['viewer']);
    const q = 'mutation($c:String!,$n:String!){ changePassword(currentPassword:$c, newPassword:$n){ token } }';
    const wrong = await gql(app.url, q, { c: 'not my password at all', n: 'saffron kettle drum 19 meadow' }, { token: u.token });
    expect(wrong.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ path: ['currentPassword'] }] });
    const weak = await gql(app.url, q, { c: u.password, n: 'password1234' }, { token: u.token });
    expect(weak.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ path: ['newPassword'] }] });
    await gqlOk(app.url, ME, {}, { token: u.token });
  });

  it('disabling a user ends their access at once', async () => {
    const owner = await loginOwner(app);
    const u = await createUser(app, owner, ['developer']);
    await gqlOk(app.url, ME, {}, { token: u.token });
    await gqlOk(app.url, 'mutation($id:ID!){ disableUser(id:$id){ status } }', { id: u.id }, { token: owner });
    expect(errorCode(await gql(app.url, ME, {}, { token: u.token }))).toBe('UNAUTHENTICATED');
    const relogin = await gql(app.url, 'mutation($e:String!,$p:String!){ login(email:$e, password:$p){ token } }', { e: u.email, p: u.password });
    expect(relogin.errors?.[0]?.message).toBe('Invalid email or password.');
    // Enabling again does not revive the old sessions.
    await gqlOk(app.url, 'mutation($id:ID!){ updateUser(id:$id, input:{disabled:false}){ status } }', { id: u.id }, { token: owner });
    expect(errorCode(await gql(app.url, ME, {}, { token: u.token }))).toBe('UNAUTHENTICATED');
    await login(app, u.email, u.password);
  });

  it('nobody can disable themselves or remove the last owner', async () => {
    const owner = await loginOwner(app);
    const { me } = await gqlOk<{ me: { id: string } }>(app.url, '{ me { id } }', {}, { token: owner });
    const r = await gql(app.url, 'mutation($id:ID!){ disableUser(id:$id){ status } }', { id: me.id }, { token: owner });
    expect(errorCode(r)).toBe('INVALID_STATE');
  });
});
