import type { Connection } from 'mongoose';
import { startTestApp, type TestApp } from '../harness/app';
import { errorCode, gql, gqlOk } from '../harness/graphql';
import { createKey, createUser, dbOf, login, loginOwner } from '../keys/key-helpers';
import { verifierSetup, verifyHttp } from '../verify/verify-helpers';
import { auditActions, verifyChain } from './security-helpers';

jest.setTimeout(120_000);

interface Export {
  user: { _id: string; email: string; name: string; status: string };
  data: Record<string, { records: Record<string, unknown>[]; truncated: boolean }>;
}

const EXPORT_MINE = '{ exportMyData { userId generatedAt json } }';
const EXPORT_USER = 'query($u: ID!){ exportUserData(userId:$u){ userId json } }';
const ERASE = 'mutation($u: ID!){ eraseUserData(userId:$u){ userId auditEventsErased sessionsDeleted notificationsDeleted keysRevoked } }';

describe('personal data: export and erasure', () => {
  let app: TestApp;
  let owner: string;
  let verifier: string;
  let db: Connection;

  beforeAll(async () => {
    app = await startTestApp();
    ({ token: owner, verifier } = await verifierSetup(app));
    db = await dbOf(app);
  });
  afterAll(async () => {
    await db?.close();
    await app?.stop();
  });

  it('a person exports their own data; an admin exports anyone of the organization; others may not', async () => {
    const alice = await createUser(app, owner, ['developer']);
    const mine = await gqlOk<{ exportMyData: { userId: string; json: string } }>(app.url, EXPORT_MINE, {}, { token: alice.token });
    const e = JSON.parse(mine.exportMyData.json) as Export;
    expect(e.user).toMatchObject({ _id: alice.id, email: alice.email });
    expect(JSON.stringify(e)).not.toMatch(/passwordHash|tokenHash|"\$argon2/);
    expect(e.data.sessions?.records.length).toBeGreaterThan(0);
    expect(e.data.auditEvents?.records.map((r) => r.action)).toEqual(expect.arrayContaining(['user.created']));

    const admin = await createUser(app, owner, ['admin']);
    const byAdmin = await gqlOk<{ exportUserData: { userId: string; json: string } }>(app.url, EXPORT_USER, { u: alice.id }, { token: admin.token });
    expect((JSON.parse(byAdmin.exportUserData.json) as Export).user.email).toBe(alice.email);
    expect(errorCode(await gql(app.url, EXPORT_USER, { u: admin.id }, { token: alice.token }))).toBe('FORBIDDEN');
    // The export itself is audited.
    expect((await auditActions(app, owner, { action: 'user.data_exported', targetId: alice.id })).length).toBe(2);
  });

  it('erasure removes a person’s data, ends their access, and leaves the audit chain verifiable', async () => {
    const bob = await createUser(app, owner, ['developer']);
    await gql(app.url, 'mutation($e:String!,$p:String!){ login(email:$e, password:$p){ token } }', { e: bob.email, p: 'a wrong password for the trail' });
    const personal = await createKey(app, owner, {
      name: 'bob-personal',
      type: 'user',
      subtype: 'personal',
      ownerId: bob.id,
      scopes: ['keys:read'],
      expiresAt: new Date(Date.now() + 10 * 86_400_000).toISOString(),
    });
    expect((await verifyHttp(app, verifier, { key: personal.secret as string })).body.code).toBe('VALID');
    expect((await verifyChain(app, owner)).ok).toBe(true);

    const ownerId = (await gqlOk<{ me: { id: string } }>(app.url, '{ me { id } }', {}, { token: owner })).me.id;
    expect(errorCode(await gql(app.url, ERASE, { u: ownerId }, { token: owner }))).toBe('INVALID_STATE');
    const r = (await gqlOk<{ eraseUserData: Record<string, number | string> }>(app.url, ERASE, { u: bob.id }, { token: owner })).eraseUserData;
    expect(r).toMatchObject({ userId: bob.id, keysRevoked: 1 });
    expect(r.auditEventsErased as number).toBeGreaterThanOrEqual(2);
    expect(r.sessionsDeleted as number).toBeGreaterThanOrEqual(1);

    // The chain still verifies, and no payload mentions the person any more.
    const chain = await verifyChain(app, owner);
    expect(chain).toMatchObject({ ok: true });
    const all = await gqlOk<{ auditEvents: { nodes: { id: string; action: string; after: unknown; before: unknown }[] } }>(
      app.url,
      '{ auditEvents(first: 200){ nodes { id action before after } } }',
      {},
      { token: owner },
    );
    expect(JSON.stringify(all.auditEvents.nodes)).not.toContain(bob.email);
    // One erasure record names every blanked event (up to 500 per record).
    expect(all.auditEvents.nodes.filter((n) => n.action === 'audit.payload_erased')).toHaveLength(1);
    expect(all.auditEvents.nodes.filter((n) => n.action === 'user.erased')).toHaveLength(1);
    const created = all.auditEvents.nodes.filter((n) => n.action === 'user.created' && JSON.stringify(n.after) === '{"erased":true}');
    expect(created).toHaveLength(1);

    // Access is over: no sign-in, the person's key is revoked, the export is empty of them.
    await expect(login(app, bob.email, bob.password)).rejects.toThrow();
    expect((await verifyHttp(app, verifier, { key: personal.secret as string })).body.code).toBe('REVOKED');
    const after = JSON.parse((await gqlOk<{ exportUserData: { json: string } }>(app.url, EXPORT_USER, { u: bob.id }, { token: owner })).exportUserData.json) as Export;
    expect(after.user).toMatchObject({ email: `erased-${bob.id}@erased.invalid`, name: '', status: 'disabled' });
    expect(after.data.sessions?.records).toEqual([]);

    // Tombstones are the only accepted mismatch: altering an erased event otherwise breaks the chain.
    const events = db.collection('audit_events');
    const target = await events.findOne({ orgId: { $exists: true }, 'after.erased': true });
    expect(target).not.toBeNull();
    await events.updateOne({ _id: target?._id }, { $set: { after: { email: 'forged@example.test' } } });
    const broken = await verifyChain(app, owner);
    expect(broken.ok).toBe(false);
    expect(broken.reason).toMatch(/payloadDigest/);
    await events.updateOne({ _id: target?._id }, { $set: { after: { erased: true } } });
    expect((await verifyChain(app, owner)).ok).toBe(true);
  });

  it('an API key cannot export its owner’s data', async () => {
    const k = await createKey(app, await loginOwner(app), {
      name: 'reader',
      type: 'user',
      subtype: 'personal',
      scopes: ['keys:read'],
      expiresAt: new Date(Date.now() + 10 * 86_400_000).toISOString(),
    });
    expect(errorCode(await gql(app.url, EXPORT_MINE, {}, { token: k.secret as string }))).toBe('FORBIDDEN');
  });
});
