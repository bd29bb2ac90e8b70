import { startTestApp, uniqueName, type TestApp } from '../harness/app';
import { gql, gqlOk } from '../harness/graphql';
import { subscribe, wsClient } from '../harness/ws';
import { createApp, createKey, login } from '../keys/key-helpers';
import { serviceKey, verifierSetup, verifyHttp } from '../verify/verify-helpers';
import { eventually, flushSignals } from '../usage/monitoring-helpers';

interface AlertEvent {
  alertRaised: { alertId: string; type: string; keyId: string | null; ip: string | null; at: number };
}
const ALERT_SUB = 'subscription{ alertRaised { alertId type keyId ip count severity escalated summary at } }';

/** Subscriptions over graphql-ws, fed by per-organization Redis channels. */
describe('realtime subscriptions', () => {
  const db = uniqueName('lkt');
  const prefix = uniqueName('lkt');
  let a: TestApp;
  let b: TestApp;
  let token: string;
  let verifier: string;
  beforeAll(async () => {
    // Two API nodes of one deployment: same database and Redis prefix.
    a = await startTestApp({ db, prefix });
    b = await startTestApp({ db, prefix });
    ({ token, verifier } = await verifierSetup(a));
  });
  afterAll(async () => {
    await a?.stop();
    await b?.stop();
  });

  it('a subscriber on a node that did not handle the violating request still gets the alert (and it is fast)', async () => {
    const client = wsClient(b.wsUrl, token);
    const sub = subscribe<AlertEvent>(client, ALERT_SUB);
    const k = await serviceKey(a, token);
    await verifyHttp(a, verifier, { key: k.secret, ip: '10.0.1.1' });
    await flushSignals(a);
    await new Promise((r) => setTimeout(r, 300)); // the subscription is registered on node B
    const latencies: number[] = [];
    for (let i = 2; i < 22; i++) {
      const t0 = Date.now();
      // Each request comes from a (private, so country-less) /24 the key never used: one NEW_NETWORK alert each, raised by node A.
      await verifyHttp(a, verifier, { key: k.secret, ip: `10.0.${i}.1` });
      const ev = await sub.next(10_000);
      expect(ev.alertRaised).toMatchObject({ type: 'NEW_NETWORK', keyId: k.id, ip: `10.0.${i}.1` });
      latencies.push(Date.now() - t0);
    }
    latencies.sort((x, y) => x - y);
    const p99 = latencies[Math.ceil(0.99 * latencies.length) - 1] as number;
    process.stdout.write(`violation → subscriber latency over ${latencies.length} alerts: p50 ${latencies[Math.floor(latencies.length / 2)]} ms, p99 ${p99} ms\n`);
    // Loose bound on a shared, loaded machine; the benchmark records the real figure.
    expect(p99).toBeLessThan(5_000);
    sub.dispose();
    await client.dispose();
  });

  it('a subscriber of organization A receives nothing of organization B', async () => {
    const created = await gqlOk<{ createOrganization: { organization: { id: string } } }>(
      a.url,
      'mutation($i: CreateOrganizationInput!){ createOrganization(input:$i){ organization { id } } }',
      { i: { name: 'Other Realtime Org', slug: `rt-${Date.now().toString(36)}`, ownerEmail: 'rt-owner@other.test', ownerPassword: 'other realtime org secret 9' } },
      { token },
    );
    expect(created.createOrganization.organization.id).toMatch(/^org_/);
    const tokenB = await login(a, 'rt-owner@other.test', 'other realtime org secret 9');
    const appB = await createApp(a, tokenB, 'rt-app');
    const verifierKeyB = await createKey(a, tokenB, {
      name: 'vb',
      type: 'application',
      subtype: 'service',
      applicationId: appB,
      permissionLevel: 'custom',
      scopes: ['keys:verify'],
    });
    const verifierB = verifierKeyB.secret as string;
    const keyB = await createKey(a, tokenB, { name: 'kb', type: 'application', subtype: 'service', applicationId: appB, permissionLevel: 'custom', scopes: ['applications:read'] });

    const clientA = wsClient(b.wsUrl, token);
    const subA = subscribe<AlertEvent>(clientA, ALERT_SUB);
    const clientB = wsClient(b.wsUrl, tokenB);
    const subB = subscribe<AlertEvent>(clientB, ALERT_SUB);
    await new Promise((r) => setTimeout(r, 300));
    // B's violation first, then A's: A must see exactly its own.
    await verifyHttp(a, verifierB, { key: keyB.secret as string, resource: 'users', action: 'delete' });
    await flushSignals(a);
    const seenByB = await subB.next(10_000);
    expect(seenByB.alertRaised.keyId).toBe(keyB.apiKey.id);
    const kA = await serviceKey(a, token);
    await verifyHttp(a, verifier, { key: kA.secret, resource: 'users', action: 'delete' });
    await flushSignals(a);
    const seenByA = await subA.next(10_000);
    expect(seenByA.alertRaised.keyId).toBe(kA.id);
    await new Promise((r) => setTimeout(r, 300));
    expect(subA.received.map((e) => e.alertRaised.keyId)).not.toContain(keyB.apiKey.id);
    expect(subB.received.map((e) => e.alertRaised.keyId)).not.toContain(kA.id);

    // rateLimitEvents: another organization's key id behaves like an unknown one.
    const cross = subscribe(clientA, 'subscription($k:ID!){ rateLimitEvents(keyId:$k){ keyId } }', { k: keyB.apiKey.id });
    await expect(cross.next(5_000)).rejects.toEqual(expect.arrayContaining([expect.objectContaining({ extensions: expect.objectContaining({ code: 'NOT_FOUND' }) })]));
    for (const s of [subA, subB]) s.dispose();
    await clientA.dispose();
    await clientB.dispose();
  });

  it('each subscription checks its own scope', async () => {
    const k = await serviceKey(a, token, { scopes: ['keys:read'] });
    const client = wsClient(b.wsUrl, k.secret);
    const alerts = subscribe(client, ALERT_SUB);
    await expect(alerts.next(5_000)).rejects.toEqual(expect.arrayContaining([expect.objectContaining({ extensions: expect.objectContaining({ code: 'FORBIDDEN' }) })]));
    const ticks = subscribe(client, 'subscription{ usageTick { requests } }');
    await expect(ticks.next(5_000)).rejects.toEqual(expect.arrayContaining([expect.objectContaining({ extensions: expect.objectContaining({ code: 'FORBIDDEN' }) })]));
    await client.dispose();
  });

  it('rate-limit events for one key, at most one per second, and usage ticks of the organization', async () => {
    const k = await serviceKey(a, token, { rateLimit: { perMinute: 1 } });
    const client = wsClient(b.wsUrl, token);
    const rl = subscribe<{ rateLimitEvents: { keyId: string; code: string; count: number } }>(
      client,
      'subscription($k:ID!){ rateLimitEvents(keyId:$k){ keyId code count at } }',
      { k: k.id },
    );
    const ticks = subscribe<{ usageTick: { requests: number; rateLimited: number } }>(
      client,
      'subscription{ usageTick { from intervalMs requests valid denied rateLimited at } }',
    );
    await new Promise((r) => setTimeout(r, 300));
    for (let i = 0; i < 6; i++) await verifyHttp(a, verifier, { key: k.secret });
    await flushSignals(a);
    const ev = await rl.next(10_000);
    expect(ev.rateLimitEvents).toMatchObject({ keyId: k.id, code: 'RATE_LIMITED' });
    expect(ev.rateLimitEvents.count).toBeGreaterThanOrEqual(1);
    const tick = await eventually(async () => {
      const t = await ticks.next(15_000);
      return t.usageTick.rateLimited > 0 ? t : undefined;
    }, 20_000, 'a usage tick with the denials');
    expect(tick.usageTick.requests).toBeGreaterThanOrEqual(tick.usageTick.rateLimited);
    rl.dispose();
    ticks.dispose();
    await client.dispose();
  });

  it('a socket is closed (4403) when its session is revoked or its key stops being valid', async () => {
    const session = await login(a, 'owner@example.test', 'correct horse battery staple 42');
    const sessionClient = wsClient(b.wsUrl, session);
    const closed = new Promise<number>((resolve) => sessionClient.on('closed', (e) => resolve((e as { code: number }).code)));
    const s1 = subscribe(sessionClient, ALERT_SUB);
    await new Promise((r) => setTimeout(r, 300));
    expect(s1.received).toEqual([]);
    await gqlOk(a.url, 'mutation{ logout }', {}, { token: session });
    expect(await closed).toBe(4403);

    const k = await serviceKey(a, token, { scopes: ['alerts:read'] });
    const keyClient = wsClient(b.wsUrl, k.secret);
    const keyClosed = new Promise<number>((resolve) => keyClient.on('closed', (e) => resolve((e as { code: number }).code)));
    subscribe(keyClient, ALERT_SUB);
    await new Promise((r) => setTimeout(r, 300));
    await gqlOk(a.url, 'mutation($id:ID!){ revokeApiKey(id:$id, reason:"t"){ id } }', { id: k.id }, { token });
    expect(await keyClosed).toBe(4403);
    // A revoked session cannot open a new socket either.
    const again = await gql(a.url, '{ me { orgId } }', {}, { token: session });
    expect(again.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});
