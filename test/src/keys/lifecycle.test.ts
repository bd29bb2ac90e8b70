import { Redis } from 'ioredis';
import { hmacHex } from '@latchkey/server';
import { startTestApp, type TestApp } from '../harness/app';
import { gql, gqlOk } from '../harness/graphql';
import type { Job } from 'bullmq';
import { createRotationProcessor, FINISH_ROTATIONS_JOB } from '@latchkey/jobs';
import { subscribe, wsClient } from '../harness/ws';
import { code, createApp, createKey, createUser, fieldPaths, getKey, inDays, KEY_FIELDS, loginOwner, type ApiKeyView, must } from './key-helpers';

/** Rotation overlap, revocation everywhere, suspension, renewal limits. */
describe('key lifecycle', () => {
  let app: TestApp;
  let owner: string;
  let appId: string;

  beforeAll(async () => {
    app = await startTestApp();
    owner = await loginOwner(app);
    appId = await createApp(app, owner, 'lifecycle-app');
  });
  afterAll(() => app.stop());

  const serviceKey = (name: string, extra: Record<string, unknown> = {}) => ({
    name,
    type: 'application',
    subtype: 'service',
    applicationId: appId,
    scopes: ['keys:read'],
    ...extra,
  });
  const ROTATE = `mutation($id:ID!,$g:Int){ rotateApiKey(id:$id, gracePeriodSeconds:$g){ apiKey { ${KEY_FIELDS} } previous { ${KEY_FIELDS} } secret replayed } }`;

  it('rotation: the successor is active with the same configuration, the old key rotates until its grace ends, then the job revokes it', async () => {
    const created = await createKey(app, owner, serviceKey('rotate-me', { tags: ['blue'], restrictions: { ipAllowList: ['10.0.0.0/8'] }, expiresAt: inDays(30) }));
    const old = created.apiKey;
    const t0 = Date.now();
    const r = await gqlOk<{ rotateApiKey: { apiKey: ApiKeyView; previous: ApiKeyView; secret: string; replayed: boolean } }>(
      app.url,
      ROTATE,
      { id: old.id, g: 3600 },
      { token: owner },
    );
    const { apiKey: next, previous, secret } = r.rotateApiKey;
    expect(secret).toMatch(/^lk_prd_/);
    expect(secret).not.toBe(created.secret);
    expect(next).toMatchObject({
      status: 'active',
      rotatedFromId: old.id,
      name: old.name,
      type: old.type,
      subtype: old.subtype,
      scopes: old.scopes,
      tags: ['blue'],
      applicationId: appId,
      restrictions: old.restrictions,
      rateLimit: old.rateLimit,
    });
    expect(previous).toMatchObject({ id: old.id, status: 'rotating', rotatedToId: next.id });
    const graceEnds = new Date(previous.graceEndsAt as string).getTime();
    expect(graceEnds).toBeGreaterThanOrEqual(t0 + 3600_000 - 1000);
    expect(graceEnds).toBeLessThanOrEqual(Date.now() + 3600_000 + 1000);
    // The successor keeps the 30-day lifetime, counted from now.
    expect(new Date(next.expiresAt as string).getTime()).toBeGreaterThan(new Date(old.expiresAt as string).getTime() - 1000);

    const chain = await gqlOk<{ apiKey: { rotationChain: { id: string }[] } }>(
      app.url,
      'query($id:ID!){ apiKey(id:$id){ rotationChain { id } } }',
      { id: next.id },
      { token: owner },
    );
    expect(chain.apiKey.rotationChain.map((k) => k.id)).toEqual([old.id, next.id]);

    // Nothing is due before the grace period ends …
    const keys = app.server.services.keys;
    expect(await keys.finishDueRotations(new Date(graceEnds - 5_000))).not.toContain(old.id);
    expect((await getKey(app, owner, old.id)).status).toBe('rotating');
    // … and after it the old key is revoked, the successor untouched.
    expect(await keys.finishDueRotations(new Date(graceEnds + 1_000))).toContain(old.id);
    const retired = await getKey(app, owner, old.id);
    expect(retired).toMatchObject({ status: 'revoked', statusReason: 'rotation grace period ended' });
    expect((await getKey(app, owner, next.id)).status).toBe('active');

    const again = await gql(app.url, ROTATE, { id: old.id, g: 60 }, { token: owner });
    expect(code(again)).toBe('INVALID_STATE');
    expect(again.errors?.[0]?.message).toBe('cannot rotate a key that is revoked');

    const history = await gqlOk<{ apiKey: { history: { nodes: { action: string }[] } } }>(
      app.url,
      'query($id:ID!){ apiKey(id:$id){ history(first: 20){ nodes { action } } } }',
      { id: old.id },
      { token: owner },
    );
    expect(history.apiKey.history.nodes.map((e) => e.action)).toEqual(['key.revoked', 'key.rotated', 'key.created']);
  });

  it('the rotation job revokes keys whose grace period ended', async () => {
    const created = await createKey(app, owner, serviceKey('rotate-job'));
    const r = await gqlOk<{ rotateApiKey: { previous: ApiKeyView } }>(app.url, ROTATE, { id: created.apiKey.id, g: 1 }, { token: owner });
    expect(r.rotateApiKey.previous.status).toBe('rotating');
    await new Promise((res) => setTimeout(res, 1100));
    const processor = createRotationProcessor(app.server.services);
    const result = (await processor({ name: FINISH_ROTATIONS_JOB, data: {} } as Job)) as { revoked: number };
    expect(result.revoked).toBeGreaterThanOrEqual(1);
    expect((await getKey(app, owner, created.apiKey.id)).status).toBe('revoked');
    // At-least-once delivery: running it again changes nothing.
    expect(((await processor({ name: FINISH_ROTATIONS_JOB, data: {} } as Job)) as { revoked: number }).revoked).toBe(0);
  });

  it('rotation with grace 0 revokes the old key at once', async () => {
    const created = await createKey(app, owner, serviceKey('rotate-now'));
    const r = await gqlOk<{ rotateApiKey: { apiKey: ApiKeyView; previous: ApiKeyView } }>(app.url, ROTATE, { id: created.apiKey.id, g: 0 }, { token: owner });
    expect(r.rotateApiKey.previous.status).toBe('revoked');
    expect(r.rotateApiKey.apiKey.status).toBe('active');
  });

  it('revocation is immediate and announced on the key-changed channel', async () => {
    const created = await createKey(app, owner, serviceKey('revoke-me'));
    const sub = new Redis(app.config.REDIS_URL);
    const messages: { orgId: string; keyId: string; keyHash: string; at: number }[] = [];
    try {
      await sub.subscribe(`${app.config.REDIS_PREFIX}:key-changed`);
      sub.on('message', (_channel, m: string) => messages.push(JSON.parse(m) as (typeof messages)[number]));
      const started = Date.now();
      const revoked = await gqlOk<{ revokeApiKey: ApiKeyView }>(
        app.url,
        `mutation($id:ID!){ revokeApiKey(id:$id, reason:"leaked in a gist"){ ${KEY_FIELDS} } }`,
        { id: created.apiKey.id },
        { token: owner },
      );
      expect(revoked.revokeApiKey).toMatchObject({ status: 'revoked', statusReason: 'leaked in a gist' });
      const deadline = Date.now() + 1000;
      while (!messages.some((m) => m.keyId === created.apiKey.id) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      const m = messages.find((x) => x.keyId === created.apiKey.id);
      expect(m).toMatchObject({ keyId: created.apiKey.id, keyHash: hmacHex(app.config.LATCHKEY_KEY_PEPPER, created.secret as string) });
      expect(must(m).at).toBeGreaterThanOrEqual(started - 1000);
      expect(Date.now() - started).toBeLessThan(1500);
    } finally {
      sub.disconnect();
    }
    for (const op of ['suspendApiKey(id:$id)', 'revokeApiKey(id:$id)', 'rotateApiKey(id:$id)']) {
      const r = await gql(app.url, `mutation($id:ID!){ ${op} { __typename } }`, { id: created.apiKey.id }, { token: owner });
      expect(code(r)).toBe('INVALID_STATE');
      expect(r.errors?.[0]?.message).toMatch(/a key that is revoked$/);
      expect(r.errors?.[0]?.extensions?.currentStatus).toBe('revoked');
    }
  });

  it('keyEvents subscribers see changes of their own organization', async () => {
    const client = wsClient(app.wsUrl, owner);
    const sub = subscribe<{ keyEvents: { type: string; keyId: string | null; status: string | null; actorId: string } }>(
      client,
      'subscription{ keyEvents { type keyId status actorId } }',
    );
    try {
      // Give the subscription a moment to reach Redis before the change is published.
      await new Promise((r) => setTimeout(r, 300));
      const created = await createKey(app, owner, serviceKey('watched'));
      await gqlOk(app.url, 'mutation($id:ID!){ suspendApiKey(id:$id){ id } }', { id: created.apiKey.id }, { token: owner });
      const seen: { type: string; keyId: string | null; status: string | null }[] = [];
      while (!seen.some((e) => e.type === 'key.suspended')) seen.push((await sub.next(3000)).keyEvents);
      expect(seen).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ type: 'key.created', keyId: created.apiKey.id, status: 'active' }),
          expect.objectContaining({ type: 'key.suspended', keyId: created.apiKey.id, status: 'suspended' }),
        ]),
      );
    } finally {
      sub.dispose();
      await client.dispose();
    }
  });

  it('suspend and reactivate', async () => {
    const created = await createKey(app, owner, serviceKey('pause-me'));
    const s = await gqlOk<{ suspendApiKey: ApiKeyView }>(
      app.url,
      'mutation($id:ID!){ suspendApiKey(id:$id, reason:"investigating"){ status statusReason } }',
      { id: created.apiKey.id },
      { token: owner },
    );
    expect(s.suspendApiKey).toEqual({ status: 'suspended', statusReason: 'investigating' });
    const twice = await gql(app.url, 'mutation($id:ID!){ suspendApiKey(id:$id){ status } }', { id: created.apiKey.id }, { token: owner });
    expect(twice.errors?.[0]?.message).toBe('cannot suspend a key that is suspended');
    const a = await gqlOk<{ reactivateApiKey: ApiKeyView }>(
      app.url,
      'mutation($id:ID!){ reactivateApiKey(id:$id){ status statusReason } }',
      { id: created.apiKey.id },
      { token: owner },
    );
    expect(a.reactivateApiKey).toEqual({ status: 'active', statusReason: null });
  });

  it('renewal respects the maximum lifetime counted from now', async () => {
    // User keys: at most 90 days under the default policy; temporary keys at most 7.
    const personal = await createKey(app, owner, { name: 'renew-me', type: 'user', subtype: 'personal', scopes: ['keys:read'], expiresAt: inDays(10) });
    const RENEW = 'mutation($id:ID!,$at:DateTimeISO!){ renewApiKey(id:$id, expiresAt:$at){ expiresAt status } }';
    const tooFar = await gql(app.url, RENEW, { id: personal.apiKey.id, at: inDays(91) }, { token: owner });
    expect(code(tooFar)).toBe('BAD_USER_INPUT');
    expect(fieldPaths(tooFar)).toEqual(['expiresAt']);
    expect(tooFar.errors?.[0]?.message).toContain('90 days');
    const past = await gql(app.url, RENEW, { id: personal.apiKey.id, at: new Date(Date.now() - 60_000).toISOString() }, { token: owner });
    expect(code(past)).toBe('BAD_USER_INPUT');
    const ok = await gqlOk<{ renewApiKey: { expiresAt: string } }>(app.url, RENEW, { id: personal.apiKey.id, at: inDays(89) }, { token: owner });
    expect(new Date(ok.renewApiKey.expiresAt).getTime()).toBeGreaterThan(Date.now() + 88 * 86_400_000);

    const temp = await createKey(app, owner, { name: 'temp', type: 'user', subtype: 'temporary', scopes: ['keys:read'] });
    expect(Math.abs(new Date(temp.apiKey.expiresAt as string).getTime() - (Date.now() + 86_400_000))).toBeLessThan(60_000);
    const tempFar = await gql(app.url, RENEW, { id: temp.apiKey.id, at: inDays(8) }, { token: owner });
    expect(code(tempFar)).toBe('BAD_USER_INPUT');
    expect(tempFar.errors?.[0]?.message).toContain('7 days');
  });

  it('owners of user keys manage them with keys:request; others need keys:write', async () => {
    const dev = await createUser(app, owner, ['developer']);
    const other = await createUser(app, owner, ['developer']);
    const req = await gqlOk<{ requestApiKey: { id: string } }>(
      app.url,
      'mutation{ requestApiKey(input:{name:"dev-own", type:"user", subtype:"personal", scopes:["keys:read"]}){ id } }',
      {},
      { token: dev.token },
    );
    const claimed = await gqlOk<{ claimApiKey: { apiKey: { id: string } } }>(
      app.url,
      'mutation($id:ID!){ claimApiKey(requestId:$id){ apiKey { id } } }',
      { id: req.requestApiKey.id },
      { token: dev.token },
    );
    const id = claimed.claimApiKey.apiKey.id;
    const byOther = await gql(app.url, 'mutation($id:ID!){ suspendApiKey(id:$id){ status } }', { id }, { token: other.token });
    expect(code(byOther)).toBe('FORBIDDEN');
    const upd = await gqlOk<{ updateApiKey: { name: string } }>(app.url, 'mutation($id:ID!){ updateApiKey(id:$id, input:{name:"renamed"}){ name } }', { id }, { token: dev.token });
    expect(upd.updateApiKey.name).toBe('renamed');
    const wider = await gql(app.url, 'mutation($id:ID!){ updateApiKey(id:$id, input:{scopes:["keys:write"]}){ name } }', { id }, { token: dev.token });
    expect(code(wider)).toBe('FORBIDDEN');
    const susp = await gqlOk<{ suspendApiKey: { status: string } }>(app.url, 'mutation($id:ID!){ suspendApiKey(id:$id){ status } }', { id }, { token: dev.token });
    expect(susp.suspendApiKey.status).toBe('suspended');
    const react = await gql(app.url, 'mutation($id:ID!){ reactivateApiKey(id:$id){ status } }', { id }, { token: dev.token });
    expect(code(react)).toBe('FORBIDDEN');
    const rev = await gqlOk<{ revokeApiKey: { status: string } }>(app.url, 'mutation($id:ID!){ revokeApiKey(id:$id){ status } }', { id }, { token: dev.token });
    expect(rev.revokeApiKey.status).toBe('revoked');
  });
});
