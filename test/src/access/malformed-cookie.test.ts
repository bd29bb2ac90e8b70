import { startTestApp, type TestApp } from '../harness/app';
import { errorCode, gql } from '../harness/graphql';
import { subscribe, wsClient } from '../harness/ws';

const ME = '{ me { id } }';

/**
 * Not percent-decodable: `%` alone and a broken escape are read as they are, so they are
 * wrong API keys (MALFORMED); a session-shaped one is a wrong session (UNAUTHENTICATED).
 */
const BROKEN: [string, string][] = [
  ['lk_session=%', 'MALFORMED'],
  ['lk_session=lks_%zz', 'UNAUTHENTICATED'],
  ['theme=dark; lk_session=%E0%A4%A', 'MALFORMED'],
];

describe('a session cookie that is not valid percent-encoding', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app.stop());

  it.each(BROKEN)('is refused on /graphql with 401, not a 500 (%s)', async (cookie, code) => {
    const r = await gql(app.url, ME, {}, { headers: { cookie } });
    expect(r.status).toBe(401);
    expect(errorCode(r)).toBe(code);
  });

  it('is refused on a REST download with 401, not a 500', async () => {
    const r = await fetch(`${app.url}/v1/reports/COMPLIANCE?from=2026-01-01&to=2026-01-02`, { headers: { cookie: 'lk_session=%' } });
    expect(r.status).toBe(401);
    const body = (await r.json()) as { error: { code: string } };
    expect(body.error.code).toBe('MALFORMED');
  });

  it('other cookies beside it do not matter: no session cookie means anonymous', async () => {
    const r = await gql(app.url, ME, {}, { headers: { cookie: 'theme=%; other=1' } });
    expect(r.status).toBe(200);
    expect(errorCode(r)).toBe('UNAUTHENTICATED');
  });

  it('closes a websocket that brings one instead of crashing the handshake', async () => {
    const client = wsClient(app.wsUrl, undefined, { headers: { cookie: 'lk_session=%' } });
    try {
      const sub = subscribe(client, 'subscription { alertRaised { alertId } }');
      await expect(sub.next(3_000)).rejects.toMatchObject({ code: 4403 });
    } finally {
      await client.dispose();
    }
  });
});
