import { getNamedType, isInputObjectType, isNonNullType, isScalarType, type GraphQLArgument, type GraphQLSchema } from 'graphql';
import { startTestApp, type TestApp } from '../harness/app';
import { gql, gqlOk } from '../harness/graphql';
import { serviceKey, verifierSetup } from '../verify/verify-helpers';
import { subscribe, wsClient } from '../harness/ws';
import { introspect } from './fuzz-arbitraries';

const OPERATORS: Record<string, unknown>[] = [{ $ne: null }, { $gt: '' }, { $regex: '.*' }, { $where: '1' }, { $in: ['a'] }];
const isText = (t: GraphQLArgument['type']) => ['String', 'ID'].includes(getNamedType(t).name);

/**
 * Security case 7. Query operators smuggled as objects into every text input — every
 * String/ID argument of every root field, every String/ID field of their input objects,
 * the REST bodies — are refused before any resolver or query runs; operator-looking
 * strings are matched literally. ($ne in one login field is also in access/validation.test.ts.)
 */
describe('NoSQL injection', () => {
  let app: TestApp;
  let schema: GraphQLSchema;
  let token: string;
  let verifier: string;
  let key: { id: string; secret: string };
  beforeAll(async () => {
    app = await startTestApp();
    schema = await introspect(app.url);
    ({ token, verifier } = await verifierSetup(app));
    key = await serviceKey(app, token, { name: 'literal-target' });
  }, 60_000);
  afterAll(() => app?.stop());

  /** Every (root field, variable path) that takes text, with all arguments declared as variables. */
  function injectionPoints(): { field: string; query: string; variables: Record<string, unknown>; label: string; varName: string }[] {
    const out: ReturnType<typeof injectionPoints> = [];
    // Subscriptions are refused over HTTP before coercion; their inputs are checked over graphql-ws below.
    for (const [kind, type] of [['query', schema.getQueryType()], ['mutation', schema.getMutationType()]] as const) {
      for (const f of Object.values(type?.getFields() ?? {})) {
        const decls = f.args.map((a, i) => `$a${i}: ${a.type.toString()}`).join(', ');
        const call = f.args.map((a, i) => `${a.name}: $a${i}`).join(', ');
        const named = getNamedType(f.type);
        const sel = isScalarType(named) || !('getFields' in named) ? '' : '{ __typename }';
        const query = `${kind}${decls ? `(${decls})` : ''} { ${f.name}${call ? `(${call})` : ''} ${sel} }`;
        f.args.forEach((a, i) => {
          const inner = getNamedType(a.type);
          const op = OPERATORS[out.length % OPERATORS.length];
          if (isText(a.type)) out.push({ field: f.name, query, variables: { [`a${i}`]: op }, label: `${f.name}(${a.name})`, varName: `a${i}` });
          else if (isInputObjectType(inner)) {
            for (const field of Object.values(inner.getFields()).filter((x) => isText(x.type))) {
              out.push({ field: f.name, query, variables: { [`a${i}`]: { [field.name]: op } }, label: `${f.name}(${a.name}.${field.name})`, varName: `a${i}` });
            }
          }
        });
      }
    }
    return out;
  }

  it('an operator object in any text input of the GraphQL API is refused by variable coercion', async () => {
    const points = injectionPoints();
    const accepted: string[] = [];
    for (const p of points) {
      const r = await gql(app.url, p.query, p.variables, { token });
      const named = (r.errors ?? []).some((e) => e.message.includes(`Variable "$${p.varName}" got invalid value`));
      if (r.status !== 400 || !named || r.data !== undefined) accepted.push(`${p.label}: ${r.status} ${JSON.stringify(r.errors?.[0]?.message)}`);
    }
    const fields = new Set(points.map((p) => p.field)).size;
    process.stdout.write(`NoSQL injection: ${points.length} GraphQL text inputs over ${fields} root fields, ${points.length - accepted.length} refused by coercion\n`);
    expect(points.length).toBeGreaterThan(100);
    expect(accepted).toEqual([]);
  }, 120_000);

  it('JSONObject inputs take objects, so the service validates them: operators are refused by name', async () => {
    const r = await gql(app.url, 'mutation($i: VerifyApiKeyInput!){ verifyApiKey(input:$i){ code } }', { i: { key: key.secret, costs: { $gt: 1 } } }, { token });
    expect(r.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('operator-looking strings are literals: search, sign-in and verify match nothing', async () => {
    for (const search of ['.*', '^', '$ne', '{"$ne":null}', '[a-z]+', '\\']) {
      const d = await gqlOk<{ apiKeys: { totalCount: number } }>(app.url, 'query($s:String){ apiKeys(filter:{search:$s}){ totalCount } }', { s: search }, { token });
      expect({ search, n: d.apiKeys.totalCount }).toEqual({ search, n: 0 });
    }
    // The control: a literal part of the name does match.
    expect((await gqlOk<{ apiKeys: { totalCount: number } }>(app.url, '{ apiKeys(filter:{search:"literal-tar"}){ totalCount } }', {}, { token })).apiKeys.totalCount).toBe(1);
    const login = await gql(app.url, 'mutation($e:String!,$p:String!){ login(email:$e, password:$p){ token } }', { e: '{"$ne":null}', p: '{"$ne":null}' });
    expect(login.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED'); // an email nobody has
    const login2 = await gql(app.url, 'mutation($e:String!,$p:String!){ login(email:$e, password:$p){ token } }', { e: 'owner@example.test', p: '{"$ne":null}' });
    expect(login2.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  const post = async (path: string, body: unknown, auth: string) => {
    const r = await fetch(`${app.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${auth}` }, body: JSON.stringify(body) });
    return { status: r.status, body: (await r.json()) as Record<string, unknown> };
  };

  it('POST /v1/keys/verify: operator objects in any field → 400; an operator string is a MALFORMED key', async () => {
    const bodies = [
      { key: { $ne: null } },
      { key: key.secret, resource: { $ne: null }, action: 'read' },
      { key: key.secret, resourceId: { $regex: '.*' } },
      { key: key.secret, costs: { $gt: 1 } },
      { key: key.secret, $where: '1' },
      { key: [key.secret] },
    ];
    for (const body of bodies) {
      const r = await post('/v1/keys/verify', body, verifier);
      expect({ body, status: r.status, code: (r.body.error as { code?: string } | undefined)?.code }).toEqual({ body, status: 400, code: 'BAD_USER_INPUT' });
    }
    expect((await post('/v1/keys/verify', { key: '{"$ne":null}' }, verifier)).body.code).toBe('MALFORMED');
  });

  it('POST /v1/usage: operator objects as key or keyId → 400, nothing recorded', async () => {
    const base = { id: 'r1', at: Date.now(), status: 200, latencyMs: 3 };
    for (const report of [{ ...base, keyId: { $ne: null } }, { ...base, key: { $regex: '.*' } }, { ...base, keyId: key.id, costs: { $inc: 5 } }]) {
      const r = await post('/v1/usage', { reports: [report] }, verifier);
      expect({ report, status: r.status }).toEqual({ report, status: 400 });
    }
    const literal = await post('/v1/usage', { reports: [{ ...base, id: 'r2', keyId: '{"$ne":null}' }] }, verifier);
    expect(literal.status).toBe(200);
    expect(JSON.stringify(literal.body)).toMatch(/reject|unknown/i);
  });

  it('POST /v1/leaks: an operator object as the token → 400; an operator string matches no key and changes nothing', async () => {
    const { setLeakReporterSecret } = await gqlOk<{ setLeakReporterSecret: { secret: string } }>(app.url, 'mutation{ setLeakReporterSecret { secret } }', {}, { token });
    const reporter = setLeakReporterSecret.secret;
    const r = await post('/v1/leaks', [{ token: { $ne: null }, type: 'latchkey', url: 'https://example.test/x', source: 'content' }], reporter);
    expect(r.status).toBe(400);
    const lit = await fetch(`${app.url}/v1/leaks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${reporter}` },
      body: JSON.stringify([{ token: '{"$ne":null}', type: 'latchkey', url: 'https://example.test/x', source: 'content' }]),
    });
    expect(lit.status).toBe(200);
    const still = await gqlOk<{ apiKey: { status: string } }>(app.url, 'query($id:ID!){ apiKey(id:$id){ status } }', { id: key.id }, { token });
    expect(still.apiKey.status).toBe('active');
  });

  it('query-string shapes are not credentials: ?api_key[$ne]=x and repeated api_key are ignored, not objects', async () => {
    for (const qs of ['api_key[$ne]=x', 'api_key=a&api_key=b', 'api_key[]=x']) {
      const r = await fetch(`${app.url}/graphql?${qs}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ me { orgId } }"}' });
      const body = (await r.json()) as { errors?: { extensions?: { code?: string } }[] };
      expect({ qs, code: body.errors?.[0]?.extensions?.code }).toEqual({ qs, code: 'UNAUTHENTICATED' });
    }
  });

  it('subscription arguments over graphql-ws refuse operator objects the same way', async () => {
    const client = wsClient(app.wsUrl, token);
    const sub = subscribe(client, 'subscription($k: ID!){ rateLimitEvents(keyId: $k){ keyId } }', { k: { $ne: null } });
    await expect(sub.next(5_000)).rejects.toEqual(expect.arrayContaining([expect.objectContaining({ message: expect.stringContaining('Variable "$k" got invalid value') })]));
    await client.dispose();
  });

  it('non-null text arguments refuse null too (no "match anything" through null)', async () => {
    const f = schema.getMutationType()?.getFields().revokeApiKey;
    expect(f && isNonNullType(f.args.find((a) => a.name === 'id')?.type ?? f.type)).toBe(true);
    const r = await gql(app.url, 'mutation($id: ID!){ revokeApiKey(id: $id){ id } }', { id: null }, { token });
    expect(r.status).toBe(400);
  });
});
