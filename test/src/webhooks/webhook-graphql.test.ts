import 'reflect-metadata';
import type { Worker } from 'bullmq';
import { Webhook } from 'standardwebhooks';
import { startTestApp, type TestApp } from '../harness/app';
import { gql, gqlOk, errorCode } from '../harness/graphql';
import { createUser, login, loginOwner } from '../access/access-helpers';
import { startReceiver, startWorker, waitFor, type Receiver, must } from './webhook-harness';

const ENDPOINT_FIELDS = 'id url description events enabled disabledReason previousSecretExpiresAt';
const DELIVERY_FIELDS = 'id endpointId eventType status series attemptCount payload attempts { series attempt statusCode latencyMs success error at }';

interface Delivery {
  id: string;
  status: string;
  attempts: { series: number; attempt: number; statusCode: number | null; latencyMs: number; success: boolean }[];
}

describe('webhooks over GraphQL', () => {
  let app: TestApp;
  let worker: Worker;
  let receiver: Receiver;
  let owner: string;

  beforeAll(async () => {
    app = await startTestApp();
    receiver = await startReceiver();
    worker = startWorker(app.server.services);
    owner = await loginOwner(app);
  });
  afterAll(async () => {
    await worker.close();
    await receiver.close();
    await app.stop();
  });

  const create = (token: string, input: Record<string, unknown>) =>
    gql<{ createWebhookEndpoint: { endpoint: { id: string; url: string }; secret: string } }>(
      app.url,
      `mutation($i: CreateWebhookEndpointInput!){ createWebhookEndpoint(input:$i){ endpoint { ${ENDPOINT_FIELDS} } secret } }`,
      { i: input },
      { token },
    );
  const deliveries = async (token: string, endpointId: string): Promise<Delivery[]> =>
    (
      await gqlOk<{ webhookDeliveries: { nodes: Delivery[] } }>(
        app.url,
        `query($e: ID){ webhookDeliveries(endpointId: $e, first: 50){ nodes { ${DELIVERY_FIELDS} } endCursor hasNextPage } }`,
        { e: endpointId },
        { token },
      )
    ).webhookDeliveries.nodes;
  const settled = (endpointId: string, id: string, status: string) =>
    waitFor(async () => (await deliveries(owner, endpointId)).find((d) => d.id === id && d.status === status), `${id} ${status}`);

  it('creates an endpoint, sends a signed test event and shows each attempt with status and latency', async () => {
    const r = await create(owner, { url: `${receiver.url}/gql`, description: 'ops', events: ['key.created'] });
    expect(r.errors).toBeUndefined();
    const { endpoint, secret } = must(r.data).createWebhookEndpoint;
    expect(secret).toMatch(/^whsec_/);

    const sentAt = Date.now();
    const sent = await gqlOk<{ sendTestWebhook: { id: string; status: string } }>(
      app.url,
      'mutation($id: ID!){ sendTestWebhook(id:$id){ id status } }',
      { id: endpoint.id },
      { token: owner },
    );
    const d = await settled(endpoint.id, sent.sendTestWebhook.id, 'succeeded');
    expect(d.attempts).toEqual([expect.objectContaining({ series: 1, attempt: 1, statusCode: 204, success: true })]);
    // The attempt's own latency: not negative, and within the time the test waited for it.
    expect(must(d.attempts[0]).latencyMs).toBeGreaterThanOrEqual(0);
    expect(must(d.attempts[0]).latencyMs).toBeLessThanOrEqual(Date.now() - sentAt);
    const req = must(receiver.requests.find((x) => x.path === '/gql'));
    expect(new Webhook(secret).verify(req.body, req.headers as Record<string, string>)).toMatchObject({ type: 'webhook.test' });

    const rotated = await gqlOk<{ rotateWebhookSecret: { endpoint: { previousSecretExpiresAt: string }; secret: string } }>(
      app.url,
      `mutation($id: ID!){ rotateWebhookSecret(id:$id){ endpoint { ${ENDPOINT_FIELDS} } secret } }`,
      { id: endpoint.id },
      { token: owner },
    );
    expect(rotated.rotateWebhookSecret.secret).not.toBe(secret);
    expect(Date.parse(rotated.rotateWebhookSecret.endpoint.previousSecretExpiresAt)).toBeGreaterThan(Date.now());
    // Secrets never reach the logs.
    expect(app.logs.join('\n')).not.toContain(secret.slice(6));
    expect(app.logs.join('\n')).not.toContain(rotated.rotateWebhookSecret.secret.slice(6));
  });

  it('answers field-level BAD_USER_INPUT for a refused URL and unknown event', async () => {
    const r = await create(owner, { url: 'http://169.254.169.254/latest/', events: ['key.nope'] });
    expect(errorCode(r)).toBe('BAD_USER_INPUT');
    const fields = must(must(must(r.errors)[0]).extensions).fields as { path: (string | number)[] }[];
    expect(fields.map((f) => f.path)).toEqual([
      ['input', 'url'],
      ['input', 'events', 0],
    ]);
  });

  it('dead-letters a failing delivery and replays it through the API', async () => {
    let failing = true;
    receiver.respond = (_n, path) => (path === '/replay' && failing ? { status: 500 } : { status: 204 });
    const { endpoint } = must((await create(owner, { url: `${receiver.url}/replay` })).data).createWebhookEndpoint;
    const sent = await gqlOk<{ sendTestWebhook: { id: string } }>(app.url, 'mutation($id: ID!){ sendTestWebhook(id:$id){ id } }', { id: endpoint.id }, { token: owner });
    const id = sent.sendTestWebhook.id;
    const dead = await settled(endpoint.id, id, 'dead');
    expect(dead.attempts.map((a) => a.statusCode)).toEqual([500, 500, 500]);

    failing = false;
    const replay = await gqlOk<{ replayWebhookDelivery: { series: number; status: string } }>(
      app.url,
      'mutation($id: ID!){ replayWebhookDelivery(id:$id){ series status } }',
      { id },
      { token: owner },
    );
    expect(replay.replayWebhookDelivery).toEqual({ series: 2, status: 'pending' });
    const ok = await settled(endpoint.id, id, 'succeeded');
    expect(ok.attempts.at(-1)).toMatchObject({ series: 2, attempt: 1, success: true });
    receiver.respond = () => ({ status: 204 });
  });

  it('needs webhooks:write to change endpoints; webhooks:read lists them', async () => {
    const viewer = await createUser(app, owner, ['viewer']);
    const list = await gql(app.url, `{ webhookEndpoints { ${ENDPOINT_FIELDS} } }`, {}, { token: viewer.token });
    expect(list.errors).toBeUndefined();
    const r = await create(viewer.token, { url: `${receiver.url}/nope` });
    expect(errorCode(r)).toBe('FORBIDDEN');
    const anon = await gql(app.url, `{ webhookEndpoints { id } }`);
    expect(errorCode(anon)).toBe('UNAUTHENTICATED');
  });

  it("answers NOT_FOUND for another organization's endpoints and deliveries", async () => {
    const { endpoint } = must((await create(owner, { url: `${receiver.url}/mine` })).data).createWebhookEndpoint;
    const sent = await gqlOk<{ sendTestWebhook: { id: string } }>(app.url, 'mutation($id: ID!){ sendTestWebhook(id:$id){ id } }', { id: endpoint.id }, { token: owner });
    await gqlOk(
      app.url,
      'mutation($i: CreateOrganizationInput!){ createOrganization(input:$i){ organization { id } } }',
      { i: { name: 'Other Org', slug: `other-${Date.now().toString(36)}`, ownerEmail: 'other.owner@example.test', ownerPassword: 'another long pass phrase 9' } },
      { token: owner },
    );
    const other = await login(app, 'other.owner@example.test', 'another long pass phrase 9');
    const ops: [string, Record<string, unknown>][] = [
      ['mutation($id: ID!){ rotateWebhookSecret(id:$id){ secret } }', { id: endpoint.id }],
      ['mutation($id: ID!){ sendTestWebhook(id:$id){ id } }', { id: endpoint.id }],
      ['mutation($id: ID!){ deleteWebhookEndpoint(id:$id){ id } }', { id: endpoint.id }],
      ['mutation($id: ID!){ updateWebhookEndpoint(id:$id, input:{ enabled:false }){ id } }', { id: endpoint.id }],
      ['mutation($id: ID!){ replayWebhookDelivery(id:$id){ id } }', { id: sent.sendTestWebhook.id }],
    ];
    for (const [q, v] of ops) expect(errorCode(await gql(app.url, q, v, { token: other }))).toBe('NOT_FOUND');
    const theirs = await gqlOk<{ webhookEndpoints: unknown[]; webhookDeliveries: { nodes: unknown[] } }>(
      app.url,
      '{ webhookEndpoints { id } webhookDeliveries { nodes { id } } }',
      {},
      { token: other },
    );
    expect(theirs).toEqual({ webhookEndpoints: [], webhookDeliveries: { nodes: [] } });
  });
});
