import { startTestApp, type TestApp } from '../harness/app';
import { gql, gqlOk } from '../harness/graphql';
import { loginOwner } from '../keys/key-helpers';

// The same internal targets as webhooks/webhook-ssrf.test.ts, which covers the service,
// connect-time DNS re-check (rebinding) and redirects; here: the public door.
const INTERNAL = [
  'http://127.0.0.1:8080/hook',
  'http://169.254.169.254/latest/meta-data/',
  'http://10.0.0.1/',
  'http://172.16.0.1/',
  'http://192.168.1.1/',
  'http://[::1]/',
  'http://[::ffff:127.0.0.1]/',
  'http://[::ffff:169.254.169.254]/',
  'http://2130706433/',
  'http://0177.0.0.1/',
  'http://0x7f.1/',
  'http://localhost:8080/',
  'http://0.0.0.0:9/',
  'http://[fd00:ec2::254]/',
];

/**
 * Security case 8 through GraphQL, with LATCHKEY_WEBHOOK_ALLOW_LOOPBACK off as in
 * production: every internal target is refused on create and on update, with the field
 * path, and nothing is stored.
 */
describe('SSRF through the GraphQL API', () => {
  let app: TestApp;
  let token: string;
  beforeAll(async () => {
    app = await startTestApp({ env: { LATCHKEY_WEBHOOK_ALLOW_LOOPBACK: 'false' } });
    token = await loginOwner(app);
  });
  afterAll(() => app?.stop());

  it.each(INTERNAL)('createWebhookEndpoint refuses %s', async (url) => {
    const r = await gql(app.url, 'mutation($u:String!){ createWebhookEndpoint(input:{url:$u}){ endpoint { id } secret } }', { u: url }, { token });
    expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [expect.objectContaining({ path: ['input', 'url'] })] });
    expect(JSON.stringify(r)).not.toContain('whsec_');
  });

  it('updateWebhookEndpoint refuses every internal target too, and the stored URL is unchanged', async () => {
    // A public address literal: checked at registration, never dialled (no worker runs here).
    const created = await gqlOk<{ createWebhookEndpoint: { endpoint: { id: string } } }>(
      app.url,
      'mutation{ createWebhookEndpoint(input:{url:"https://93.184.215.14/hook"}){ endpoint { id } } }',
      {},
      { token },
    );
    const id = created.createWebhookEndpoint.endpoint.id;
    for (const url of INTERNAL) {
      const r = await gql(app.url, 'mutation($id:ID!,$u:String){ updateWebhookEndpoint(id:$id, input:{url:$u}){ url } }', { id, u: url }, { token });
      expect({ url, code: r.errors?.[0]?.extensions?.code }).toEqual({ url, code: 'BAD_USER_INPUT' });
    }
    const list = await gqlOk<{ webhookEndpoints: { id: string; url: string }[] | { nodes: { id: string; url: string }[] } }>(
      app.url,
      '{ webhookEndpoints { id url } }',
      {},
      { token },
    );
    const rows = Array.isArray(list.webhookEndpoints) ? list.webhookEndpoints : list.webhookEndpoints.nodes;
    expect(rows.map((e) => e.url)).toEqual(['https://93.184.215.14/hook']);
  });
});
