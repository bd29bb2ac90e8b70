import type { Connection } from 'mongoose';
import { startTestApp, type TestApp } from '../harness/app';
import { gqlOk } from '../harness/graphql';
import { approveRaw, claimRaw, createApp, createKey, createUser, customValue, dbOf, KEY_FIELDS, loginOwner, requestKey, setPolicy, must } from './key-helpers';

/**
 * Every way a secret is handed out (create, custom import, request → approve → claim,
 * rotation, reveal of a recoverable key), with a webhook endpoint subscribed so webhook
 * bodies are written too; then no collection of the database and no log line contains
 * any of the plaintexts.
 */
describe('secret leak scan', () => {
  let app: TestApp;
  let db: Connection;
  const secrets: string[] = [];

  beforeAll(async () => {
    app = await startTestApp();
    db = await dbOf(app);
  });
  afterAll(async () => {
    await db.close();
    await app.stop();
  });

  it('no plaintext key appears in any collection or log line', async () => {
    const owner = await loginOwner(app);
    await gqlOk(app.url, 'mutation{ createWebhookEndpoint(input:{url:"http://127.0.0.1:9/hook"}){ endpoint { id } } }', {}, { token: owner });
    await setPolicy(app, owner, { recoverableKeysAllowed: true });
    const appId = await createApp(app, owner, 'leak-app');
    const base = { type: 'application', subtype: 'service', applicationId: appId, scopes: ['keys:read'] };

    const plain = await createKey(app, owner, { ...base, name: 'leak-plain' });
    secrets.push(plain.secret as string);
    const imported = customValue();
    secrets.push(imported);
    const custom = await createKey(app, owner, { ...base, name: 'leak-custom', customKey: imported });
    expect(custom.secret).toBe(imported);
    const recoverable = await createKey(app, owner, { ...base, name: 'leak-recoverable', recoverable: true });
    secrets.push(recoverable.secret as string);
    const revealed = await gqlOk<{ revealApiKey: { secret: string } }>(
      app.url,
      'mutation($id:ID!){ revealApiKey(id:$id){ secret apiKey { id } } }',
      { id: recoverable.apiKey.id },
      { token: owner },
    );
    expect(revealed.revealApiKey.secret).toBe(recoverable.secret);

    const requester = await createUser(app, owner, ['admin']);
    const importedLater = customValue();
    secrets.push(importedLater);
    const req = await requestKey(app, requester.token, { name: 'leak-requested', type: 'system', subtype: 'integration', scopes: ['keys:read'], customKey: importedLater });
    expect((await approveRaw(app, owner, req.id)).errors).toBeUndefined();
    const claimed = await claimRaw(app, requester.token, req.id);
    expect(claimed.data?.claimApiKey.secret).toBe(importedLater);
    const req2 = await requestKey(app, requester.token, { name: 'leak-requested-2', type: 'system', subtype: 'integration', scopes: ['keys:read'], recoverable: true });
    await approveRaw(app, owner, req2.id);
    const claimed2 = await claimRaw(app, requester.token, req2.id);
    secrets.push(claimed2.data?.claimApiKey.secret as string);

    for (const k of [plain, recoverable]) {
      const r = await gqlOk<{ rotateApiKey: { secret: string } }>(
        app.url,
        `mutation($id:ID!){ rotateApiKey(id:$id, gracePeriodSeconds: 60){ secret apiKey { ${KEY_FIELDS} } } }`,
        { id: k.apiKey.id },
        { token: owner },
      );
      secrets.push(r.rotateApiKey.secret);
    }
    await gqlOk(app.url, 'mutation($id:ID!){ revokeApiKey(id:$id, reason:"scan"){ id } }', { id: custom.apiKey.id }, { token: owner });
    expect(secrets.every((s) => typeof s === 'string' && s.length >= 32)).toBe(true);

    // Let asynchronous writers (webhook fan-out, audit) settle before scanning.
    await new Promise((r) => setTimeout(r, 500));
    const found: string[] = [];
    const collections = await must(db.db).listCollections().toArray();
    expect(collections.map((c) => c.name)).toEqual(expect.arrayContaining(['api_keys', 'key_requests', 'key_claims', 'audit_events', 'webhook_deliveries']));
    // The scan means something only if the events were written where it looks.
    expect(await db.collection('webhook_deliveries').countDocuments({ eventType: { $in: ['key.created', 'key.claimed', 'key.rotated'] } })).toBeGreaterThan(3);
    expect(await db.collection('audit_events').countDocuments({ action: { $in: ['key.created', 'key.claimed', 'key.rotated', 'key.revealed'] } })).toBeGreaterThan(6);
    for (const c of collections) {
      const docs = await db.collection(c.name).find({}).toArray();
      const text = JSON.stringify(docs);
      for (const s of secrets) if (text.includes(s)) found.push(`${c.name} contains ${s.slice(0, 8)}…`);
    }
    const logs = app.logs.join('\n');
    expect(logs.length).toBeGreaterThan(0);
    for (const s of secrets) if (logs.includes(s)) found.push(`logs contain ${s.slice(0, 8)}…`);
    expect(found).toEqual([]);
  });
});
