import { startTestApp, type TestApp } from '../harness/app';
import { gqlOk } from '../harness/graphql';
import { startNodeProcess, type NodeProcess } from '../harness/node-process';
import { serviceKey, verifierSetup, verifyHttp } from './verify-helpers';

describe('two API processes share one deployment', () => {
  let a: TestApp;
  let b: NodeProcess;
  let token: string;
  let verifier: string;
  beforeAll(async () => {
    a = await startTestApp();
    b = await startNodeProcess(a);
    ({ token, verifier } = await verifierSetup(a));
  }, 60_000);
  afterAll(async () => {
    await b?.stop();
    await a?.stop();
  });

  const onB = (body: Record<string, unknown>) => verifyHttp({ ...a, url: b.url }, verifier, body);

  it('a revocation made through node A is enforced by node B within one second', async () => {
    const k = await serviceKey(a, token);
    // Warm B's cache so only the pub/sub invalidation can make it notice.
    expect((await onB({ key: k.secret })).body.code).toBe('VALID');
    expect((await onB({ key: k.secret })).body.code).toBe('VALID');
    const started = Date.now();
    await gqlOk(a.url, 'mutation($id: ID!){ revokeApiKey(id:$id, reason:"multi-node"){ id } }', { id: k.id }, { token });
    let code = 'VALID';
    while (code !== 'REVOKED' && Date.now() - started < 5_000) {
      code = (await onB({ key: k.secret })).body.code;
    }
    const elapsed = Date.now() - started;
    expect(code).toBe('REVOKED');
    expect(elapsed).toBeLessThan(1_000);
  });

  it('a limit of 100 admits exactly 100 across both nodes', async () => {
    const k = await serviceKey(a, token, { rateLimit: { perMinute: 100 } });
    const results = await Promise.all(
      Array.from({ length: 300 }, (_, i) => (i % 2 === 0 ? verifyHttp(a, verifier, { key: k.secret }) : onB({ key: k.secret }))),
    );
    expect(results.filter((r) => r.body.code === 'VALID')).toHaveLength(100);
  });
});
