import { Latchkey } from '@latchkey/sdk';
import { createUser } from '../access/access-helpers';
import { startTestApp, type TestApp } from '../harness/app';
import { listen, sdkWorld, type SdkWorld } from './sdk-helpers';

describe('@latchkey/sdk client against the running product', () => {
  let app: TestApp;
  let world: SdkWorld;
  let admin: Latchkey;

  beforeAll(async () => {
    app = await startTestApp();
    world = await sdkWorld(app);
    // A console session works as the credential for management calls, like an API key.
    admin = new Latchkey({ apiKey: world.token, baseUrl: app.url, usage: false });
  }, 60_000);
  afterAll(async () => {
    await admin?.close();
    await world?.latchkey.close();
    await app?.stop();
  });

  it('manages keys through typed calls: create, get, list, suspend, reactivate, rotate, revoke', async () => {
    const appId = (await admin.applications.create({ name: 'sdk-app' })).id;
    const created = await admin.keys.create({ name: 'sdk key', type: 'application', subtype: 'service', applicationId: appId, permissionLevel: 'custom', scopes: ['users:read'] });
    expect(created.secret).toMatch(/^lk_/);
    const id = created.apiKey.id;
    expect((await admin.keys.get(id)).scopes).toEqual(['users:read']);
    const page = await admin.keys.list({ filter: { applicationId: appId }, first: 10 });
    expect(page.nodes.map((k) => k.id)).toContain(id);
    expect((await admin.keys.suspend(id, 'check')).status).toBe('suspended');
    expect((await admin.keys.reactivate(id)).status).toBe('active');
    expect((await admin.keys.update(id, { tags: ['sdk'] })).tags).toEqual(['sdk']);
    const rotated = await admin.keys.rotate(id, { gracePeriodSeconds: 60 });
    expect(rotated.previous.id).toBe(id);
    expect(rotated.secret).toMatch(/^lk_/);
    expect((await admin.keys.revoke(rotated.apiKey.id, 'done')).status).toBe('revoked');
    const users = await admin.users.list();
    expect(users.nodes.map((u) => u.email)).toContain('owner@example.test');
    expect((await admin.roles.list()).nodes.length).toBeGreaterThan(0);
    expect((await admin.audit.list({ first: 5 })).nodes.length).toBeGreaterThan(0);
  });

  // The seeded organization keeps the default policy: system keys and full-level keys need
  // one approval, everything else none (server/src/orgs/org-policy.ts DEFAULT_ORG_POLICY).
  it('a request the policy needs no approval for is approved at once, then claimed once', async () => {
    const appId = (await admin.applications.create({ name: 'sdk-req' })).id;
    const req = await admin.keys.request({
      name: 'requested',
      type: 'application',
      subtype: 'service',
      applicationId: appId,
      permissionLevel: 'custom',
      scopes: ['users:read'],
      justification: 'sdk test',
    });
    expect(req).toMatchObject({ status: 'approved', approvalsRequired: 0 });
    const claimed = await admin.keys.claim(req.id);
    expect(claimed.secret).toMatch(/^lk_/);
    expect((await admin.requests.get(req.id)).status).toBe('claimed');
  });

  it('request → approve by someone else → claim through the SDK; nobody approves their own request', async () => {
    const appId = (await admin.applications.create({ name: 'sdk-req-full' })).id;
    const req = await admin.keys.request({
      name: 'requested full',
      type: 'application',
      subtype: 'service',
      applicationId: appId,
      permissionLevel: 'full',
      justification: 'sdk test',
    });
    expect(req).toMatchObject({ status: 'pending_approval', approvalsRequired: 1 });
    await expect(admin.keys.approve(req.id, 'mine')).rejects.toMatchObject({ name: 'LatchkeyError', code: 'FORBIDDEN' });
    // Full keys are approved only by someone who holds *:* themselves.
    const approver = new Latchkey({ apiKey: (await createUser(app, world.token, ['owner'])).token, baseUrl: app.url, usage: false });
    try {
      expect(await approver.keys.approve(req.id, 'ok')).toMatchObject({ status: 'approved' });
    } finally {
      await approver.close();
    }
    const claimed = await admin.keys.claim(req.id);
    expect(claimed.secret).toMatch(/^lk_/);
    expect((await admin.requests.get(req.id)).status).toBe('claimed');
  });

  it('GraphQL errors surface as LatchkeyError with the server code', async () => {
    await expect(admin.keys.get('key_doesnotexist000000000000')).rejects.toMatchObject({ name: 'LatchkeyError', code: 'NOT_FOUND' });
  });

  it('verify caches VALID answers and drops them when keyEvents says the key was revoked', async () => {
    const watcherKey = await world.key({ scopes: ['keys:verify', 'keys:read'] });
    // Keys get the organization's default limits; includeLimited trades exact counting for latency.
    const lk = new Latchkey({ apiKey: watcherKey.secret, baseUrl: app.url, watchRevocations: true, usage: false, cache: { ttlMs: 60_000, includeLimited: true } });
    try {
      const k = await world.key({ scopes: ['users:read'] });
      const first = await lk.verify(k.secret, { resource: 'users', action: 'read' });
      expect(first).toMatchObject({ valid: true, code: 'VALID', keyId: k.id });
      // The default policy's per-second window (50) is the one closest to its limit after one call.
      expect(first.ratelimit).toMatchObject({ limit: 50, remaining: 49, window: 'second' });
      const second = await lk.verify(k.secret, { resource: 'users', action: 'read' });
      expect(second.cached).toBe(true);
      // Give the keyEvents subscription a moment to be established.
      await new Promise((r) => setTimeout(r, 500));
      await admin.keys.revoke(k.id, 'leaked');
      const deadline = Date.now() + 5_000;
      let after = await lk.verify(k.secret, { resource: 'users', action: 'read' });
      while (after.valid && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 100));
        after = await lk.verify(k.secret, { resource: 'users', action: 'read' });
      }
      expect(after).toMatchObject({ valid: false, code: 'REVOKED' });
    } finally {
      await lk.close();
    }
  });

  it('limited keys are not cached, so every call is counted and limited', async () => {
    const k = await world.key({ scopes: ['users:read'], rateLimit: { perMinute: 2 } });
    const codes = [];
    for (let i = 0; i < 3; i++) codes.push((await world.latchkey.verify(k.secret)).code);
    expect(codes).toEqual(['VALID', 'VALID', 'RATE_LIMITED']);
  });

  it('retries 502/503/504 with backoff, never a definitive answer', async () => {
    let calls = 0;
    const flaky = await listen(async (req, res) => {
      calls++;
      if (calls <= 2) {
        res.writeHead(503).end('busy');
        return;
      }
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const upstream = await fetch(`${app.url}${req.url}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: String(req.headers.authorization) },
        body: Buffer.concat(chunks),
      });
      res.writeHead(upstream.status, { 'content-type': 'application/json' }).end(await upstream.text());
    });
    const lk = new Latchkey({ apiKey: world.verifier, baseUrl: flaky.url, retries: 3, usage: false, cache: false });
    try {
      const k = await world.key({ scopes: ['users:read'] });
      expect((await lk.verify(k.secret)).code).toBe('VALID');
      expect(calls).toBe(3);
      calls = 10;
      await admin.keys.revoke(k.id);
      expect((await lk.verify(k.secret)).code).toBe('REVOKED');
      expect(calls).toBe(11);
    } finally {
      await lk.close();
      await flaky.close();
    }
  });

  it('the subscribe helper streams keyEvents as an async iterable', async () => {
    const sub = admin.subscribe.keyEvents();
    const it = sub[Symbol.asyncIterator]();
    await new Promise((r) => setTimeout(r, 500));
    const k = await world.key({ scopes: ['users:read'] });
    await admin.keys.suspend(k.id, 'watch');
    const seen: string[] = [];
    const deadline = Date.now() + 5_000;
    while (Date.now() < deadline && !seen.includes('key.suspended')) {
      const next = await Promise.race([it.next(), new Promise<IteratorResult<never>>((r) => setTimeout(() => r({ done: true, value: undefined }), 5_000))]);
      if (next.done) break;
      if (next.value.keyId === k.id) seen.push(next.value.type);
    }
    sub.unsubscribe();
    expect(seen).toContain('key.suspended');
  });

  it('rateLimitEvents(keyId) reports denials of that key live', async () => {
    const k = await world.key({ scopes: ['users:read'], rateLimit: { perMinute: 1 } });
    const events: string[] = [];
    const stop = admin.listen.rateLimitEvents(k.id, { next: (e) => events.push(e.code) });
    try {
      await new Promise((r) => setTimeout(r, 500));
      for (let i = 0; i < 3; i++) await world.latchkey.verify(k.secret);
      const deadline = Date.now() + 8_000;
      while (events.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      expect(events).toContain('RATE_LIMITED');
    } finally {
      stop();
    }
  });
});
