import type { Connection } from 'mongoose';
import { hmacHex } from '@latchkey/server';
import { startTestApp, type TestApp } from '../harness/app';
import { gql, gqlOk } from '../harness/graphql';
import { approveRaw, claimRaw, code, createUser, dbOf, getKey, loginOwner, requestKey, type KeyRequestView, must } from './key-helpers';

/**
 * The one-time secret of an approved key goes to the requester only, once, within the
 * claim window; an expired claim is reissued by an approver with a fresh value.
 */
describe('claiming an approved key', () => {
  let app: TestApp;
  let owner: string;
  let db: Connection;
  let requester: { id: string; token: string };
  let approver: { id: string; token: string };

  beforeAll(async () => {
    app = await startTestApp();
    owner = await loginOwner(app);
    db = await dbOf(app);
    [requester, approver] = await Promise.all([createUser(app, owner, ['admin']), createUser(app, owner, ['admin'])]);
  });
  afterAll(async () => {
    await db.close();
    await app.stop();
  });

  // System keys need one approval under the default policy.
  const systemKey = (name: string) => ({ name, type: 'system', subtype: 'integration', scopes: ['keys:read'] });

  async function approved(name: string): Promise<KeyRequestView> {
    const req = await requestKey(app, requester.token, systemKey(name));
    expect(req).toMatchObject({ status: 'pending_approval', approvalsRequired: 1 });
    const r = await approveRaw(app, approver.token, req.id);
    expect(r.errors).toBeUndefined();
    return r.data?.approveKeyRequest as KeyRequestView;
  }

  it('gives the requester the secret once; the key becomes active; a second claim is refused', async () => {
    const req = await approved('claim-once');
    const notMine = await claimRaw(app, approver.token, req.id);
    expect(code(notMine)).toBe('FORBIDDEN');

    const first = await claimRaw(app, requester.token, req.id);
    expect(first.errors).toBeUndefined();
    const { apiKey } = must(first.data).claimApiKey;
    const secret = must(must(first.data).claimApiKey.secret, 'secret');
    expect(secret).toMatch(/^lk_prd_[0-9A-Za-z]+$/);
    expect(apiKey).toMatchObject({ id: req.keyId, status: 'active', claimExpiresAt: null, last4: secret.slice(-4) });
    expect(secret.startsWith(apiKey.start)).toBe(true);
    const stored = await db.collection('api_keys').findOne({ _id: req.keyId as never });
    expect(stored?.hash).toBe(hmacHex(app.config.LATCHKEY_KEY_PEPPER, secret));
    expect(stored?.claimSealed).toBeNull();

    const second = await claimRaw(app, requester.token, req.id);
    expect(code(second)).toBe('INVALID_STATE');
    expect(second.errors?.[0]?.message).toMatch(/already claimed.*only once/);
    expect(second.errors?.[0]?.extensions?.currentStatus).toBe('claimed');
    const view = await gqlOk<{ keyRequest: { status: string; claimedAt: string | null } }>(
      app.url,
      'query($id:ID!){ keyRequest(id:$id){ status claimedAt } }',
      { id: req.id },
      { token: requester.token },
    );
    expect(view.keyRequest.status).toBe('claimed');
    expect(view.keyRequest.claimedAt).not.toBeNull();
  });

  it('concurrent claims: exactly one gets the secret', async () => {
    const req = await approved('claim-race');
    const results = await Promise.all(Array.from({ length: 12 }, () => claimRaw(app, requester.token, req.id)));
    const winners = results.filter((r) => !r.errors);
    expect(winners).toHaveLength(1);
    expect(winners[0]?.data?.claimApiKey.secret).toMatch(/^lk_/);
    for (const r of results.filter((x) => x.errors)) expect(['INVALID_STATE', 'CONFLICT']).toContain(code(r));
    expect((await getKey(app, owner, req.keyId as string)).status).toBe('active');
  });

  it('after the window the claim is refused; an approver reissues it with a new value', async () => {
    const req = await approved('claim-window');
    const before = await db.collection('api_keys').findOne({ _id: req.keyId as never });
    // Move the window into the past, as seven days passing would.
    const past = new Date(Date.now() - 1000);
    await db.collection('api_keys').updateOne({ _id: req.keyId as never }, { $set: { claimExpiresAt: past } });
    await db.collection('key_requests').updateOne({ _id: req.id as never }, { $set: { claimExpiresAt: past } });

    const listed = await gqlOk<{ keyRequests: { nodes: { id: string }[] } }>(
      app.url,
      '{ keyRequests(filter:{status:"claim_expired"}, first:100){ nodes { id } } }',
      {},
      { token: owner },
    );
    expect(listed.keyRequests.nodes.map((n) => n.id)).toContain(req.id);

    const late = await claimRaw(app, requester.token, req.id);
    expect(code(late)).toBe('INVALID_STATE');
    expect(late.errors?.[0]?.message).toMatch(/claim window ended.*reissue/);

    const byRequester = await gql(app.url, 'mutation($id:ID!){ reissueKeyClaim(requestId:$id){ id } }', { id: req.id }, { token: requester.token });
    expect(code(byRequester)).toBe('FORBIDDEN');
    const reissued = await gqlOk<{ reissueKeyClaim: { status: string; claimExpiresAt: string } }>(
      app.url,
      'mutation($id:ID!){ reissueKeyClaim(requestId:$id){ status claimExpiresAt } }',
      { id: req.id },
      { token: approver.token },
    );
    expect(reissued.reissueKeyClaim.status).toBe('approved');
    expect(new Date(reissued.reissueKeyClaim.claimExpiresAt).getTime()).toBeGreaterThan(Date.now() + 6 * 86_400_000);
    const after = await db.collection('api_keys').findOne({ _id: req.keyId as never });
    expect(after?.hash).not.toBe(before?.hash);
    // The verify path's hash index moved with the value (keys/key-hash-index.ts).
    const hashIndex = db.collection('api_key_hashes');
    expect((await hashIndex.findOne({ _id: after?.hash as never }))?.keyId).toBe(req.keyId);
    expect(await hashIndex.findOne({ _id: before?.hash as never })).toBeNull();

    const claimed = await claimRaw(app, requester.token, req.id);
    expect(claimed.errors).toBeUndefined();
    expect(hmacHex(app.config.LATCHKEY_KEY_PEPPER, must(must(claimed.data).claimApiKey.secret))).toBe(after?.hash);

    const open = await gql(app.url, 'mutation($id:ID!){ reissueKeyClaim(requestId:$id){ id } }', { id: req.id }, { token: approver.token });
    expect(code(open)).toBe('INVALID_STATE');
  });

  it('a request needing no approval is approved at once and claimed by its requester', async () => {
    const req = await requestKey(app, requester.token, { name: 'self-service', type: 'user', subtype: 'personal', scopes: ['keys:read'] });
    expect(req).toMatchObject({ status: 'approved', approvalsRequired: 0, approvals: [] });
    expect(req.key.expiryLifetimeSeconds).toBe(90 * 86_400);
    const claimed = await claimRaw(app, requester.token, req.id);
    expect(claimed.errors).toBeUndefined();
    const key = must(claimed.data).claimApiKey.apiKey;
    expect(key).toMatchObject({ status: 'active', ownerId: requester.id, type: 'user' });
    // The default lifetime counts from issue: user keys expire after the policy's 90 days.
    expect(Math.abs(new Date(key.expiresAt as string).getTime() - (Date.now() + 90 * 86_400_000))).toBeLessThan(60_000);
  });
});
