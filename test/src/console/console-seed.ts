import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestApp } from '../harness/app';
import { gqlOk } from '../harness/graphql';
import { createApp, createUser, requestKey, setPolicy } from '../keys/key-helpers';
import { serviceKey, verifierSetup, verifyHttp } from '../verify/verify-helpers';
import { flushSignals, minuteOf, postUsage } from '../usage/monitoring-helpers';

export interface Seeded {
  keyIds: string[];
  secrets: string[];
  verifier: string;
  busiestKeyId: string;
  receiver: Server;
}

const IPS = ['8.8.8.8', '81.2.69.142', '2.16.6.1', '1.1.1.1', '203.0.113.9'];
const HOUR = 3_600_000;

/**
 * An organization that looks lived-in for the screenshots: applications, keys with a
 * day of traffic and reported latencies, a rate-limit alert, a pending request, a
 * custom role and a webhook endpoint with a delivery.
 */
export async function seedOrganization(app: TestApp, ownerToken: string): Promise<Seeded> {
  await createApp(app, ownerToken, 'storefront');
  const { verifier } = await verifierSetup(app);
  const names = ['checkout-api', 'search-indexer', 'mobile-ios', 'partner-feed', 'billing-service'];
  const keys = [];
  for (const [i, name] of names.entries()) {
    keys.push(await serviceKey(app, ownerToken, { name, tags: i % 2 ? ['batch'] : ['critical'], rateLimit: { perSecond: 50, perMinute: i === 3 ? 8 : 2_000 } }));
  }
  for (const [i, k] of keys.entries()) {
    for (let n = 0; n < (5 - i) * 6; n++) await verifyHttp(app, verifier, { key: k.secret, ip: IPS[(n + i) % IPS.length] });
  }
  // Reported responses over the last day: latency and bandwidth charts need them.
  const now = Date.now();
  for (const [i, k] of keys.slice(0, 3).entries()) {
    const reports = Array.from({ length: 480 }, (_, n) => ({
      id: `seed-${k.id}-${n}`,
      keyId: k.id,
      at: now - (n % 24) * HOUR - 60_000,
      status: n % 37 === 0 ? 503 : n % 11 === 0 ? 404 : 200,
      latencyMs: 20 + ((n * 37) % 180) + i * 15 + (n % 24) * 3,
      bytesIn: 300 + (n % 7) * 50,
      bytesOut: 2_000 + (n % 13) * 400,
    }));
    await postUsage(app, verifier, { reports });
  }
  await flushSignals(app);
  await app.server.services.usage.fold({ upToMinute: minuteOf(Date.now()) + 1 });

  await gqlOk(
    app.url,
    'mutation($i: CreateRoleInput!){ createRole(input:$i){ id } }',
    { i: { name: 'support', description: 'Reads keys and usage for customer tickets', scopes: ['keys:read', 'analytics:read'] } },
    { token: ownerToken },
  );
  await setPolicy(app, ownerToken, { approvalRules: [{ keyType: 'user', approvals: 1 }, { keyType: 'system', approvals: 1 }, { level: 'full', approvals: 2 }] });
  const dev = await createUser(app, ownerToken, ['developer']);
  await requestKey(app, dev.token, {
    name: 'release-bot',
    type: 'user',
    subtype: 'automation',
    permissionLevel: 'custom',
    scopes: ['applications:read'],
    justification: 'Tags releases from CI',
  });

  const receiver = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(200).end('ok'));
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const port = (receiver.address() as AddressInfo).port;
  const hook = await gqlOk<{ createWebhookEndpoint: { endpoint: { id: string } } }>(
    app.url,
    'mutation($i: CreateWebhookEndpointInput!){ createWebhookEndpoint(input:$i){ endpoint { id } } }',
    { i: { url: `http://127.0.0.1:${port}/hooks/latchkey`, description: 'Ops notifications', events: ['key.revoked', 'alert.raised', 'webhook.test'] } },
    { token: ownerToken },
  );
  await gqlOk(app.url, 'mutation($id: ID!){ sendTestWebhook(id:$id){ id } }', { id: hook.createWebhookEndpoint.endpoint.id }, { token: ownerToken });

  return { keyIds: keys.map((k) => k.id), secrets: keys.map((k) => k.secret), verifier, busiestKeyId: keys[0]?.id as string, receiver };
}
