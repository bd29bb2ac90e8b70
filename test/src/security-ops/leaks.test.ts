import { startTestApp, type TestApp } from '../harness/app';
import { gqlOk } from '../harness/graphql';
import { login, loginOwner, setPolicy } from '../keys/key-helpers';
import { serviceKey, verifierSetup, verifyHttp } from '../verify/verify-helpers';
import { auditActions, eventually, postLeaks, setReporterSecret } from './security-helpers';

jest.setTimeout(120_000);

/** The same key with its last checksum digit changed: right format, wrong CRC. */
function lookAlike(key: string): string {
  return key.slice(0, -1) + (key.endsWith('A') ? 'B' : 'A');
}

async function keyAlerts(app: TestApp, token: string, keyId: string): Promise<{ id: string; severity: string; count: number }[]> {
  const d = await gqlOk<{ alerts: { nodes: { id: string; severity: string; count: number }[] } }>(
    app.url,
    'query($f: AlertFilterInput){ alerts(filter:$f, first: 50){ nodes { id severity count } } }',
    { f: { type: ['KEY_LEAKED'], keyId } },
    { token },
  );
  return d.alerts.nodes;
}

describe('POST /v1/leaks (GitHub secret-scanning partner shape)', () => {
  let app: TestApp;
  let token: string;
  let verifier: string;
  let secret: string;

  beforeAll(async () => {
    app = await startTestApp();
    ({ token, verifier } = await verifierSetup(app));
    secret = await setReporterSecret(app, token);
  });
  afterAll(async () => {
    await app?.stop();
  });

  it('suspends a reported key once and alerts once, however often it is reported', async () => {
    const k = await serviceKey(app, token);
    const item = { token: k.secret, type: 'latchkey_api_key', url: 'https://github.com/acme/app/blob/main/.env', source: 'content' };
    const first = await postLeaks(app, secret, [
      item,
      { token: lookAlike(k.secret), type: 'latchkey_api_key', url: 'https://x', source: 'content' },
      { token: 'not-a-key', type: 't', url: 'u', source: 's' },
    ]);
    expect(first.status).toBe(200);
    expect(first.body).toEqual([
      { token_raw: k.secret, token_type: 'latchkey_api_key', label: 'true_positive' },
      { token_raw: lookAlike(k.secret), token_type: 'latchkey_api_key', label: 'false_positive' },
      { token_raw: 'not-a-key', token_type: 't', label: 'false_positive' },
    ]);
    // The same report again, concurrently, plus a sighting at another place.
    const again = await Promise.all([postLeaks(app, secret, [item]), postLeaks(app, secret, [item]), postLeaks(app, secret, [{ ...item, url: 'https://gist.github.com/x' }])]);
    for (const r of again) expect(r).toEqual({ status: 200, body: [expect.objectContaining({ label: 'true_positive' })] });

    const v = await verifyHttp(app, verifier, { key: k.secret });
    expect(v.body.code).toBe('SUSPENDED');
    expect((await auditActions(app, token, { action: 'key.suspended', targetId: k.id })).length).toBe(1);
    const reported = await auditActions(app, token, { action: 'key.leak_reported', targetId: k.id });
    expect(reported).toHaveLength(1);
    expect(reported[0]?.after).toMatchObject({ response: 'suspend', url: item.url });
    const alerts = await eventually(() => keyAlerts(app, token, k.id), (a) => a.length > 0);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ severity: 'CRITICAL', count: 1 });
    // The organization's key admins hear of it (a service key has no personal owner).
    const n = await gqlOk<{ notifications: { nodes: { kind: string; keyId: string | null }[] } }>(app.url, '{ notifications(first: 50){ nodes { kind keyId } } }', {}, { token });
    expect(n.notifications.nodes.filter((x) => x.keyId === k.id && x.kind === 'key_leaked')).toHaveLength(1);
  });

  it('revokes instead when the organization policy says so', async () => {
    await setPolicy(app, token, { leakResponse: 'revoke' });
    try {
      const k = await serviceKey(app, token);
      const r = await postLeaks(app, secret, [{ token: k.secret, type: 'latchkey_api_key', url: 'https://pastebin.example/abc', source: 'commit' }]);
      expect(r.status).toBe(200);
      expect((await verifyHttp(app, verifier, { key: k.secret })).body.code).toBe('REVOKED');
    } finally {
      await setPolicy(app, token, { leakResponse: 'suspend' });
    }
  });

  it('looks nothing up for look-alikes and unknown keys', async () => {
    const k = await serviceKey(app, token);
    const r = await postLeaks(app, secret, [{ token: lookAlike(k.secret), type: 'x', url: 'u', source: 's' }]);
    expect(r.body).toEqual([expect.objectContaining({ label: 'false_positive' })]);
    expect((await verifyHttp(app, verifier, { key: k.secret })).body.code).toBe('VALID');
  });

  it('refuses unknown reporters, malformed reports and oversized batches with clear errors', async () => {
    const k = await serviceKey(app, token);
    const unknown = await postLeaks(app, 'lkrep_' + 'A'.repeat(43), [{ token: k.secret }]);
    expect(unknown.status).toBe(401);
    expect(JSON.stringify(unknown.body)).toMatch(/unknown leak reporter/);
    expect((await postLeaks(app, null, [{ token: k.secret }])).status).toBe(401);
    expect((await verifyHttp(app, verifier, { key: k.secret })).body.code).toBe('VALID');

    const notArray = await postLeaks(app, secret, { token: k.secret });
    expect(notArray.status).toBe(400);
    expect(JSON.stringify(notArray.body)).toMatch(/JSON array/);
    const noToken = await postLeaks(app, secret, [{ type: 'x' }]);
    expect(noToken.status).toBe(400);
    expect(JSON.stringify(noToken.body)).toMatch(/0\.token/);
    expect((await postLeaks(app, secret, null, '[{"token": ')).status).toBe(400);

    const tooMany = await postLeaks(app, secret, Array.from({ length: 1001 }, (_, i) => ({ token: `t${i}` })));
    expect(tooMany.status).toBe(413);
    expect(JSON.stringify(tooMany.body)).toMatch(/at most 1000 items/);
    const tooBig = await postLeaks(app, secret, [{ token: 'x', url: 'u'.repeat(1_100_000) }]);
    expect(tooBig.status).toBe(413);
    expect(JSON.stringify(tooBig.body)).toMatch(/1mb/);
  });

  it("answers a key of another organization like an unknown one; only the platform reporter acts on it", async () => {
    await gqlOk(
      app.url,
      'mutation($i: CreateOrganizationInput!){ createOrganization(input:$i){ organization { id } } }',
      { i: { name: 'Other Co', ownerEmail: 'other@example.test', ownerPassword: 'zebra crossing lantern 77' } },
      { token },
    );
    const otherToken = await login(app, 'other@example.test', 'zebra crossing lantern 77');
    const otherApp = await gqlOk<{ createApplication: { id: string } }>(
      app.url,
      'mutation{ createApplication(input:{name:"other-svc"}){ id } }',
      {},
      { token: otherToken },
    );
    const appId = otherApp.createApplication.id;
    const theirs = (
      await gqlOk<{ createApiKey: { apiKey: { id: string }; secret: string } }>(
        app.url,
        'mutation($i: CreateApiKeyInput!){ createApiKey(input:$i){ apiKey { id } secret } }',
        { i: { name: 'theirs', type: 'application', subtype: 'service', applicationId: appId, permissionLevel: 'custom', scopes: ['applications:read'] } },
        { token: otherToken },
      )
    ).createApiKey;
    const item = { token: theirs.secret, type: 'latchkey_api_key', url: 'https://github.com/other/repo', source: 'content' };
    expect((await postLeaks(app, secret, [item])).body).toEqual([expect.objectContaining({ label: 'false_positive' })]);
    expect((await auditActions(app, otherToken, { action: 'key.suspended', targetId: theirs.apiKey.id })).length).toBe(0);

    const platform = await setReporterSecret(app, token, true);
    expect((await postLeaks(app, platform, [item])).body).toEqual([expect.objectContaining({ label: 'true_positive' })]);
    expect((await auditActions(app, otherToken, { action: 'key.suspended', targetId: theirs.apiKey.id })).length).toBe(1);
  });

  it('rotating the reporter secret retires the previous one at once', async () => {
    const old = await setReporterSecret(app, token);
    const fresh = await setReporterSecret(app, token);
    expect((await postLeaks(app, old, [{ token: 'x' }])).status).toBe(401);
    expect((await postLeaks(app, fresh, [{ token: 'x' }])).status).toBe(200);
    secret = fresh;
    const reporters = await gqlOk<{ leakReporters: { scope: string; start: string }[] }>(app.url, '{ leakReporters { scope start } }', {}, { token: await loginOwner(app) });
    expect(reporters.leakReporters).toContainEqual({ scope: 'organization', start: fresh.slice(0, 10) });
  });
});
