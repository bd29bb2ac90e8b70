import { randomBytes } from 'node:crypto';
import { startTestApp, type TestApp } from '../harness/app';
import { gql } from '../harness/graphql';
import { subscribe, wsClient } from '../harness/ws';
import { loginOwner } from '../keys/key-helpers';

/**
 * Security case 4 (schema disclosure). With NODE_ENV=production (real pepper and KEK)
 * introspection is off and no error anywhere — validation, variable coercion, literals,
 * HTTP or graphql-ws — suggests a name ("Did you mean …").
 */
describe('production mode hides the schema', () => {
  let app: TestApp;
  let token: string;
  beforeAll(async () => {
    app = await startTestApp({
      env: {
        NODE_ENV: 'production',
        LATCHKEY_KEY_PEPPER: randomBytes(32).toString('hex'),
        LATCHKEY_KEK: randomBytes(32).toString('base64'),
        LATCHKEY_WEBHOOK_ALLOW_LOOPBACK: 'false',
      },
    });
    token = await loginOwner(app);
  }, 60_000);
  afterAll(() => app?.stop());

  it('runs in production mode (so the rest means something)', () => {
    expect(app.config.isProduction).toBe(true);
  });

  it('refuses introspection over HTTP: __schema, __type, and nested in a fragment', async () => {
    const introspections = [
      '{ __schema { types { name } } }',
      '{ __type(name: "ApiKey") { fields { name } } }',
      'query { ...F } fragment F on Query { __schema { queryType { name } } }',
    ];
    for (const q of introspections) {
      const r = await gql(app.url, q, {}, { token });
      expect({ q, status: r.status, data: r.data }).toEqual({ q, status: 400, data: undefined });
      expect(JSON.stringify(r.errors)).toMatch(/introspection/i);
    }
    // __typename is not introspection of the schema and stays allowed.
    expect((await gql(app.url, '{ __typename }')).errors).toBeUndefined();
  });

  // Each case is a near-miss of a real name: in development every one of them suggests it.
  const nearMisses: { name: string; query: string; variables?: Record<string, unknown> }[] = [
    { name: 'field', query: '{ serverInfo { versio } }' },
    { name: 'root field', query: '{ apiKey { id } }' },
    { name: 'argument', query: '{ apiKeys(firs: 1) { totalCount } }' },
    { name: 'variable type', query: 'query($f: ApiKeyFilte) { apiKeys(filter: $f) { totalCount } }' },
    { name: 'fragment type', query: '{ ...F } fragment F on Quer { __typename }' },
    { name: 'enum literal', query: '{ apiKeys(filter: { status: [activ] }) { totalCount } }' },
    { name: 'input field literal', query: '{ apiKeys(filter: { statu: [active] }) { totalCount } }' },
    { name: 'enum in variables', query: 'query($f: ApiKeyFilter) { apiKeys(filter: $f) { totalCount } }', variables: { f: { status: ['activ'] } } },
    { name: 'input field in variables', query: 'query($f: ApiKeyFilter) { apiKeys(filter: $f) { totalCount } }', variables: { f: { statu: ['active'] } } },
    {
      name: 'nested input in variables',
      query: 'mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { secret } }',
      variables: { i: { nam: 'x', type: 'aplication', subtype: 'servic' } },
    },
  ];

  it('suggests no names over HTTP, in validation or in variable coercion', async () => {
    for (const c of nearMisses) {
      const r = await gql(app.url, c.query, c.variables ?? {}, { token });
      const text = JSON.stringify(r);
      expect({ case: c.name, hasErrors: (r.errors?.length ?? 0) > 0 }).toEqual({ case: c.name, hasErrors: true });
      expect({ case: c.name, text }).not.toEqual({ case: c.name, text: expect.stringMatching(/did you mean/i) });
      expect(r.status).toBeLessThan(500);
    }
  });

  it('suggests no names and refuses introspection over graphql-ws too', async () => {
    const client = wsClient(app.wsUrl, token);
    const errorsOf = async (query: string, variables: Record<string, unknown> = {}) => {
      const s = subscribe(client, query, variables);
      const e = await s.next(5_000).then(
        (v) => ({ data: v }),
        (err: unknown) => err,
      );
      s.dispose();
      return JSON.stringify(e);
    };
    for (const c of nearMisses) {
      const text = await errorsOf(c.query, c.variables);
      expect({ case: c.name, text }).not.toEqual({ case: c.name, text: expect.stringMatching(/did you mean/i) });
    }
    const intro = await errorsOf('{ __schema { types { name } } }');
    expect(intro).not.toContain('"types"');
    expect(intro).toMatch(/introspection/i);
    await client.dispose();
  });
});
