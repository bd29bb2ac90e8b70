import 'reflect-metadata';
import { kekFromConfig, open, type AppServices, type Sealed } from '@latchkey/server';
import { ACTOR, newOrgId, startReceiver, startServices, stopServices, type Receiver, must } from './webhook-harness';

type AuditLister = { audit: { list(orgId: string): Promise<{ nodes: { action: string }[] }> } };

describe('webhook endpoints', () => {
  let services: AppServices;
  let receiver: Receiver;
  beforeAll(async () => {
    services = await startServices();
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await receiver.close();
    await stopServices(services);
  });

  const raw = (id: string) => services.mongo.conn.collection('webhook_endpoints').findOne({ _id: id as never });

  it('stores the signing secret only sealed, bound to the endpoint id', async () => {
    const orgId = newOrgId();
    const { endpoint, secret } = await services.webhooks.createEndpoint(orgId, { url: `${receiver.url}/a`, description: ' CI ' }, ACTOR);
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    expect(endpoint).toMatchObject({ url: `${receiver.url}/a`, description: 'CI', events: [], enabled: true });
    expect(JSON.stringify(endpoint)).not.toContain(secret.slice(6));

    const doc = await raw(endpoint.id);
    expect(JSON.stringify(doc)).not.toContain(secret.slice(6));
    const sealed = doc?.secret as Sealed;
    expect(open([kekFromConfig(services.config)], endpoint.id, sealed)).toBe(secret);
    // The record id is the AAD: the ciphertext does not open under another record.
    expect(() => open([kekFromConfig(services.config)], 'whk_other', sealed)).toThrow();
    // Nor can it be read back through the service.
    expect(JSON.stringify(await services.webhooks.listEndpoints(orgId))).not.toContain(secret.slice(6));
  });

  it('reports every invalid field at once, each with its path', async () => {
    const err = await services.webhooks
      .createEndpoint(newOrgId(), { url: 'ftp://example.com/', events: ['key.created', 'key.exploded'], description: 'x'.repeat(501) }, ACTOR)
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'BAD_USER_INPUT' });
    const paths = (err as { details: { fields: { path: unknown[] }[] } }).details.fields.map((f) => f.path);
    expect(paths).toEqual([
      ['input', 'url'],
      ['input', 'description'],
      ['input', 'events', 1],
    ]);
  });

  it('updates, disables with a reason, re-enables, and re-checks a changed URL', async () => {
    const orgId = newOrgId();
    const { endpoint } = await services.webhooks.createEndpoint(orgId, { url: `${receiver.url}/b` }, ACTOR);
    const off = await services.webhooks.updateEndpoint(orgId, endpoint.id, { enabled: false, disabledReason: 'receiver migration' }, ACTOR);
    expect(off).toMatchObject({ enabled: false, disabledReason: 'receiver migration' });
    expect(off.disabledAt).toBeInstanceOf(Date);
    await expect(services.webhooks.sendTest(orgId, endpoint.id, ACTOR)).rejects.toMatchObject({ code: 'INVALID_STATE' });
    const on = await services.webhooks.updateEndpoint(orgId, endpoint.id, { enabled: true, events: ['key.revoked', 'key.created', 'key.revoked'] }, ACTOR);
    expect(on).toMatchObject({ enabled: true, disabledReason: null, disabledAt: null, events: ['key.created', 'key.revoked'] });
    await expect(services.webhooks.updateEndpoint(orgId, endpoint.id, { url: 'http://169.254.169.254/' }, ACTOR)).rejects.toMatchObject({
      code: 'BAD_USER_INPUT',
    });
    expect((await services.webhooks.getEndpoint(orgId, endpoint.id)).url).toBe(`${receiver.url}/b`);
  });

  it("answers NOT_FOUND for another organization's endpoint and delivery ids", async () => {
    const mine = newOrgId();
    const theirs = newOrgId();
    const { endpoint } = await services.webhooks.createEndpoint(theirs, { url: `${receiver.url}/c` }, ACTOR);
    const delivery = await services.webhooks.sendTest(theirs, endpoint.id, ACTOR);
    const attempts = [
      services.webhooks.getEndpoint(mine, endpoint.id),
      services.webhooks.updateEndpoint(mine, endpoint.id, { description: 'x' }, ACTOR),
      services.webhooks.rotateSecret(mine, endpoint.id, ACTOR),
      services.webhooks.sendTest(mine, endpoint.id, ACTOR),
      services.webhooks.deleteEndpoint(mine, endpoint.id, ACTOR),
      services.webhooks.replayDelivery(mine, delivery.id, ACTOR),
    ];
    for (const p of attempts) await expect(p).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await services.webhooks.listEndpoints(mine)).toEqual([]);
    expect((await services.webhooks.listDeliveries(mine, {})).nodes).toEqual([]);
    expect(await services.webhooks.getEndpoint(theirs, endpoint.id)).toMatchObject({ id: endpoint.id });
  });

  it('pages the delivery log newest first', async () => {
    const orgId = newOrgId();
    await services.webhooks.createEndpoint(orgId, { url: `${receiver.url}/d` }, ACTOR);
    for (let i = 0; i < 5; i++) await services.webhooks.emit(orgId, 'user.created', { userId: `usr_${i}` });
    const p1 = await services.webhooks.listDeliveries(orgId, { first: 2 });
    const p2 = await services.webhooks.listDeliveries(orgId, { first: 2, after: p1.endCursor });
    const p3 = await services.webhooks.listDeliveries(orgId, { first: 2, after: p2.endCursor });
    expect([p1.hasNextPage, p2.hasNextPage, p3.hasNextPage]).toEqual([true, true, false]);
    const ids = [...p1.nodes, ...p2.nodes, ...p3.nodes].map((d) => d.id);
    expect(ids).toHaveLength(5);
    expect([...ids].sort().reverse()).toEqual(ids);
    expect(JSON.parse(must(p1.nodes[0]).payload)).toMatchObject({ type: 'user.created', data: { userId: 'usr_4' } });
    await expect(services.webhooks.listDeliveries(orgId, { first: 0 })).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
  });

  it('writes each change to the audit trail without the secret', async () => {
    const orgId = newOrgId();
    const { endpoint, secret } = await services.webhooks.createEndpoint(orgId, { url: `${receiver.url}/e` }, ACTOR);
    const rotated = await services.webhooks.rotateSecret(orgId, endpoint.id, ACTOR, 3600);
    await services.webhooks.deleteEndpoint(orgId, endpoint.id, ACTOR);
    const page = await (services as unknown as AuditLister).audit.list(orgId);
    expect(page.nodes.map((e) => e.action).reverse()).toEqual(['webhook.created', 'webhook.secret_rotated', 'webhook.deleted']);
    const dump = JSON.stringify(page.nodes);
    expect(dump).not.toContain(secret.slice(6));
    expect(dump).not.toContain(rotated.secret.slice(6));
    expect(page.nodes[0]).toMatchObject({ actor: { type: 'user', id: ACTOR.id }, target: { type: 'webhook', id: endpoint.id } });
  });
});
