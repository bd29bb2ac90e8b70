import { startTestApp, type TestApp } from '../harness/app';
import { gql } from '../harness/graphql';
import { loginOwner } from '../keys/key-helpers';

/**
 * Security case 5. A browser on another site can send "simple" requests (text/plain,
 * form posts, GETs) carrying the console's session cookie without a preflight; every one
 * of them must be refused before anything executes. The plain text/plain case is also in
 * foundation/server.test.ts; here it carries a real session cookie and a mutation.
 */
describe('CSRF: simple cross-site requests carrying the session cookie are refused', () => {
  let app: TestApp;
  let session: string;
  let logout: jest.SpyInstance;
  beforeAll(async () => {
    app = await startTestApp();
    session = await loginOwner(app);
  });
  afterAll(() => app?.stop());
  beforeEach(() => {
    logout = jest.spyOn(app.server.services.sessions, 'logout');
  });
  afterEach(() => logout.mockRestore());

  const cookie = () => `lk_session=${session}`;
  const stillSignedIn = async () => (await gql(app.url, '{ me { orgId } }', {}, { headers: { cookie: cookie() } })).errors === undefined;
  const mutation = JSON.stringify({ query: 'mutation { logout }' });

  it('the cookie authenticates a proper JSON request (the control)', async () => {
    expect(await stillSignedIn()).toBe(true);
  });

  for (const contentType of ['text/plain', 'text/plain;charset=UTF-8', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
    it(`a ${contentType} POST of a mutation is refused (400) and does not run`, async () => {
      const r = await fetch(`${app.url}/graphql`, { method: 'POST', headers: { 'content-type': contentType, cookie: cookie(), origin: 'https://evil.example' }, body: mutation });
      expect(r.status).toBe(400);
      expect(await r.text()).toMatch(/preflight|content-type|CSRF/i);
      expect(logout).not.toHaveBeenCalled();
      expect(await stillSignedIn()).toBe(true);
    });
  }

  it('a header-less GET of a mutation is refused (400) and does not run', async () => {
    const r = await fetch(`${app.url}/graphql?query=${encodeURIComponent('mutation { logout }')}`, { headers: { cookie: cookie() } });
    expect(r.status).toBe(400);
    expect(logout).not.toHaveBeenCalled();
    expect(await stillSignedIn()).toBe(true);
  });

  it('a GET of a mutation is refused even with the preflight header (405: mutations need POST)', async () => {
    const r = await fetch(`${app.url}/graphql?query=${encodeURIComponent('mutation { logout }')}`, { headers: { cookie: cookie(), 'apollo-require-preflight': 'true' } });
    expect(r.status).toBe(405);
    expect(logout).not.toHaveBeenCalled();
    expect(await stillSignedIn()).toBe(true);
  });

  it('a header-less GET query is refused too (it would read data into a cross-site page otherwise)', async () => {
    const r = await fetch(`${app.url}/graphql?query=${encodeURIComponent('{ me { orgId } }')}`, { headers: { cookie: cookie() } });
    expect(r.status).toBe(400);
  });

  it('no CORS grant for a foreign origin: the browser never lets a JSON POST through', async () => {
    const pre = await fetch(`${app.url}/graphql`, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    expect(pre.headers.get('access-control-allow-origin')).toBeNull();
    expect(pre.headers.get('access-control-allow-credentials')).toBeNull();
    const post = await fetch(`${app.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'https://evil.example' },
      body: '{"query":"{ serverInfo { version } }"}',
    });
    expect(post.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('last, the control for the spy: the same mutation as a JSON POST does run', async () => {
    const r = await fetch(`${app.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', cookie: cookie() }, body: mutation });
    expect(r.status).toBe(200);
    expect(logout).toHaveBeenCalledTimes(1);
    expect(await stillSignedIn()).toBe(false);
  });
});
