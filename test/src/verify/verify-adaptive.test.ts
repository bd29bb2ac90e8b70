import { startTestApp, type TestApp } from '../harness/app';
import { gqlOk } from '../harness/graphql';
import { serviceKey, verifierSetup, verifyHttp } from './verify-helpers';

describe('adaptive limiting', () => {
  let app: TestApp;
  let token: string;
  let verifier: string;
  beforeAll(async () => {
    app = await startTestApp();
    ({ token, verifier } = await verifierSetup(app));
    await gqlOk(app.url, 'mutation($i: UpdateOrganizationPolicyInput!){ updateOrganizationPolicy(input:$i){ adaptiveLimiting { enabled } } }', {
      i: { adaptiveLimiting: { enabled: true, errorRateThreshold: 0.5, minFactor: 0.25, minRequests: 10 } },
    }, { token });
  });
  afterAll(() => app.stop());

  const status = async (id: string) =>
    (await gqlOk<{ rateLimitStatus: { adaptiveFactor: number; policies: { name: string; quota: number }[] } }>(
      app.url,
      'query($id: String!){ rateLimitStatus(keyId:$id){ adaptiveFactor policies { name quota } } }',
      { id },
      { token },
    )).rateLimitStatus;

  it('scales a misbehaving key down while its error rate is high, and back up when it recovers', async () => {
    const k = await serviceKey(app, token, { rateLimit: { perMinute: 1000 } });
    // 20 permission violations, 2 good calls: 90 % errors.
    for (let i = 0; i < 20; i++) await verifyHttp(app, verifier, { key: k.secret, resource: 'users', action: 'delete' });
    for (let i = 0; i < 2; i++) await verifyHttp(app, verifier, { key: k.secret });
    const s = app.server.services;
    await s.signals.flush();
    await s.adaptive.evaluate();
    let st = await status(k.id);
    expect(st.adaptiveFactor).toBe(0.5);
    expect(st.policies.find((p) => p.name === 'minute')?.quota).toBe(500);

    for (let i = 0; i < 20; i++) await verifyHttp(app, verifier, { key: k.secret });
    await s.signals.flush();
    await s.adaptive.evaluate();
    st = await status(k.id);
    expect(st.adaptiveFactor).toBe(1);
    expect(st.policies.find((p) => p.name === 'minute')?.quota).toBe(1000);
  });
});
