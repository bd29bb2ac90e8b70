import { request as httpRequest } from 'node:http';
import { subscribe } from '../harness/ws';
import { gqlHttps, httpsCall, makeTestCert, startTlsApp, wssClient, type TestCert } from './tls-harness';

jest.setTimeout(120_000);

const LOGIN = 'mutation($e:String!,$p:String!){ login(email:$e, password:$p){ token } }';

describe('HTTPS and WSS end to end', () => {
  let cert: TestCert;
  let app: Awaited<ReturnType<typeof startTlsApp>>;

  beforeAll(async () => {
    cert = makeTestCert();
    app = await startTlsApp(cert);
  });
  afterAll(async () => {
    await app?.stop();
  });

  it('answers GraphQL over HTTPS with HSTS and a Secure session cookie', async () => {
    expect(app.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const r = await gqlHttps<{ login: { token: string } }>(app.url, cert.ca, LOGIN, { e: 'owner@example.test', p: 'correct horse battery staple 42' });
    expect(r.errors).toBeUndefined();
    expect(r.data?.login.token).toMatch(/^lks_/);
    expect(r.headers['strict-transport-security']).toMatch(/^max-age=\d+/);
    const cookie = ([] as string[]).concat(r.headers['set-cookie'] ?? []).join('\n');
    expect(cookie).toMatch(/;\s*Secure/i);
    expect(cookie).toMatch(/HttpOnly/i);
    const health = await httpsCall(`${app.url}/healthz`, cert.ca);
    expect(health.status).toBe(200);
    expect(health.headers['strict-transport-security']).toBe(r.headers['strict-transport-security']); // every response, not only GraphQL
  });

  it('delivers a subscription over WSS', async () => {
    expect(app.wsUrl).toMatch(/^wss:\/\//);
    const login = await gqlHttps<{ login: { token: string } }>(app.url, cert.ca, LOGIN, { e: 'owner@example.test', p: 'correct horse battery staple 42' });
    const token = login.data?.login.token as string;
    const client = wssClient(app.wsUrl, cert.ca, token);
    const sub = subscribe<{ keyEvents: { type: string; keyId: string | null } }>(client, 'subscription { keyEvents { type keyId } }');
    try {
      // The subscription is live once the server has acknowledged it; give it a moment.
      await new Promise((r) => setTimeout(r, 1_000));
      const application = await gqlHttps<{ createApplication: { id: string } }>(
        app.url,
        cert.ca,
        'mutation{ createApplication(input:{name:"tls-svc"}){ id } }',
        {},
        token,
      );
      const appId = application.data?.createApplication.id;
      const created = await gqlHttps<{ createApiKey: { apiKey: { id: string } } }>(
        app.url,
        cert.ca,
        'mutation($i: CreateApiKeyInput!){ createApiKey(input:$i){ apiKey { id } } }',
        { i: { name: 'tls-key', type: 'application', subtype: 'service', applicationId: appId, permissionLevel: 'custom', scopes: ['applications:read'] } },
        token,
      );
      expect(created.errors).toBeUndefined();
      const ev = await sub.next(15_000);
      expect(ev.keyEvents.type).toBe('key.created');
      expect(ev.keyEvents.keyId).toBe(created.data?.createApiKey.apiKey.id);
    } finally {
      sub.dispose();
      await client.dispose();
    }
  });

  it('refuses plain HTTP on the TLS port', async () => {
    const port = new URL(app.url).port;
    const outcome = await new Promise<string>((resolve) => {
      const req = httpRequest({ host: '127.0.0.1', port, path: '/healthz', timeout: 5_000 }, (res) => resolve(`answered ${res.statusCode}`));
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', (e) => resolve(`refused: ${e.message}`));
      req.end();
    });
    expect(outcome).toMatch(/^refused/);
  });

  it('refuses a client that does not trust the certificate', async () => {
    await expect(httpsCall(`${app.url}/healthz`, Buffer.from(''))).rejects.toThrow();
  });
});
