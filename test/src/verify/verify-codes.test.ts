import { startTestApp, type TestApp } from '../harness/app';
import { gqlOk } from '../harness/graphql';
import { dbOf } from '../keys/key-helpers';
import { generateKey } from '@latchkey/server/testing';
import { serviceKey, verifierSetup, verifyHttp } from './verify-helpers';

/** Flip the last body character to another base62 one (the checksum then fails). */
function damage(key: string): string {
  const i = key.length - 7;
  const c = key[i] === 'A' ? 'B' : 'A';
  return key.slice(0, i) + c + key.slice(i + 1);
}

describe('verify: every code', () => {
  let app: TestApp;
  let token: string;
  let verifier: string;
  beforeAll(async () => {
    app = await startTestApp();
    ({ token, verifier } = await verifierSetup(app));
  });
  afterAll(() => app.stop());

  it('a valid key answers VALID with its identity and scopes', async () => {
    const k = await serviceKey(app, token);
    const r = await verifyHttp(app, verifier, { key: k.secret, resource: 'applications', action: 'read' });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ valid: true, code: 'VALID', keyId: k.id, type: 'application', subtype: 'service' });
    expect(r.body.scopes).toContain('applications:read');
  });

  it('a single-character change answers MALFORMED without touching MongoDB or Redis', async () => {
    const k = await serviceKey(app, token);
    const services = app.server.services;
    const misses = services.verify.cache.stats.misses;
    const check = jest.spyOn(services.limiter, 'check');
    const r = await verifyHttp(app, verifier, { key: damage(k.secret) });
    expect(r.body).toMatchObject({ valid: false, code: 'MALFORMED' });
    expect(services.verify.cache.stats.misses).toBe(misses);
    // The caller key itself is checked against the limiter once; the damaged key never is.
    expect(check.mock.calls.filter(([id]) => id === k.id)).toHaveLength(0);
    check.mockRestore();
  });

  it('unknown, empty and oversized keys are refused with stable codes', async () => {
    const unknown = generateKey({ environment: 'production' }).key;
    expect((await verifyHttp(app, verifier, { key: unknown })).body.code).toBe('NOT_FOUND');
    // A burst of the same unknown key is served from the negative cache.
    const loads = app.server.services.verify.cache.stats.loads;
    await Promise.all(Array.from({ length: 20 }, () => verifyHttp(app, verifier, { key: unknown })));
    expect(app.server.services.verify.cache.stats.loads).toBe(loads);
    expect((await verifyHttp(app, verifier, { key: '' })).body.code).toBe('MALFORMED');
    expect((await verifyHttp(app, verifier, { key: 'x'.repeat(4000) })).body.code).toBe('MALFORMED');
    expect((await verifyHttp(app, verifier, { key: 'lk_prd_\u0000\u00e9' })).body.code).toBe('MALFORMED');
  });

  it('revoked and suspended keys answer their codes at once', async () => {
    const a = await serviceKey(app, token);
    const b = await serviceKey(app, token);
    await gqlOk(app.url, 'mutation($id: ID!){ revokeApiKey(id:$id, reason:"test"){ id } }', { id: a.id }, { token });
    await gqlOk(app.url, 'mutation($id: ID!){ suspendApiKey(id:$id, reason:"test"){ id } }', { id: b.id }, { token });
    expect((await verifyHttp(app, verifier, { key: a.secret })).body.code).toBe('REVOKED');
    expect((await verifyHttp(app, verifier, { key: b.secret })).body.code).toBe('SUSPENDED');
    await gqlOk(app.url, 'mutation($id: ID!){ reactivateApiKey(id:$id){ id } }', { id: b.id }, { token });
    expect((await verifyHttp(app, verifier, { key: b.secret })).body.code).toBe('VALID');
  });

  it('an expired key answers EXPIRED', async () => {
    const k = await serviceKey(app, token);
    const db = await dbOf(app);
    await db.collection('api_keys').updateOne({ _id: k.id as never }, { $set: { expiresAt: new Date(Date.now() - 1000) } });
    app.server.services.verify.cache.invalidateKey(k.id);
    expect((await verifyHttp(app, verifier, { key: k.secret })).body.code).toBe('EXPIRED');
  });

  it('environment, IP, referrer, country and permission rules each answer their code', async () => {
    const k = await serviceKey(app, token, {
      environment: 'production',
      restrictions: { ipAllowList: ['203.0.113.0/24', '2001:db8::/32'], referrers: ['https://*.example.com'], countries: ['NL'] },
    });
    const ok = { key: k.secret, ip: '203.0.113.7', referrer: 'https://app.example.com/x', country: 'NL' };
    expect((await verifyHttp(app, verifier, ok)).body.code).toBe('VALID');
    expect((await verifyHttp(app, verifier, { ...ok, ip: '2001:db8::1' })).body.code).toBe('VALID');
    expect((await verifyHttp(app, verifier, { ...ok, environment: 'staging' })).body.code).toBe('WRONG_ENVIRONMENT');
    expect((await verifyHttp(app, verifier, { ...ok, ip: '198.51.100.1' })).body.code).toBe('FORBIDDEN_IP');
    expect((await verifyHttp(app, verifier, { ...ok, referrer: 'https://evil.test' })).body.code).toBe('FORBIDDEN_REFERRER');
    expect((await verifyHttp(app, verifier, { ...ok, country: 'US' })).body.code).toBe('FORBIDDEN_COUNTRY');
    expect((await verifyHttp(app, verifier, { ...ok, resource: 'applications', action: 'deploy', resourceId: 'app_2' })).body.code).toBe('INSUFFICIENT_PERMISSIONS');
    expect((await verifyHttp(app, verifier, { ...ok, resource: 'applications', action: 'deploy', resourceId: 'app_1' })).body.code).toBe('VALID');
  });

  it('report-only restrictions pass', async () => {
    const k = await serviceKey(app, token, { restrictions: { ipAllowList: ['10.0.0.0/8'], mode: { ip: 'report_only', referrer: 'enforce', country: 'enforce' } } });
    expect((await verifyHttp(app, verifier, { key: k.secret, ip: '198.51.100.1' })).body.code).toBe('VALID');
  });

  it('a caller without keys:verify is refused, and a malformed body is a 400', async () => {
    const k = await serviceKey(app, token);
    expect((await verifyHttp(app, k.secret, { key: k.secret })).status).toBe(403);
    expect((await verifyHttp(app, verifier, { key: 5 })).status).toBe(400);
    expect((await verifyHttp(app, verifier, { key: k.secret, costs: { db_queries: -1 } })).status).toBe(400);
  });
});
