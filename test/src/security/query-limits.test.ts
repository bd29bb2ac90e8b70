import { startTestApp, type TestApp } from '../harness/app';
import { gql } from '../harness/graphql';
import { subscribe, wsClient } from '../harness/ws';
import { loginOwner } from '../keys/key-helpers';

const nest = (n: number, leaf = 'id') => `${'rotationChain { '.repeat(n)}${leaf}${' }'.repeat(n)}`;

/**
 * Security case 4 (limits). Every expensive shape is refused before execution: spies on
 * the services the resolvers would call prove no resolver ran. Production-mode
 * introspection and suggestions are in production-mode.test.ts.
 */
describe('expensive operations are refused before any resolver runs', () => {
  let app: TestApp;
  let token: string;
  let spies: jest.SpyInstance[];
  beforeAll(async () => {
    app = await startTestApp();
    token = await loginOwner(app);
  });
  afterAll(() => app?.stop());
  beforeEach(() => {
    const s = app.server.services;
    spies = [jest.spyOn(s.keys, 'listApiKeys'), jest.spyOn(s.health, 'readiness')];
  });
  afterEach(() => spies.forEach((x) => x.mockRestore()));
  const resolverCalls = () => spies.reduce((n, x) => n + x.mock.calls.length, 0);

  const post = async (body: string) => {
    const r = await fetch(`${app.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body });
    return { status: r.status, text: await r.text() };
  };

  it('controls: the same fields at a sane size do run (so the spies would see a resolver)', async () => {
    expect((await gql(app.url, `{ apiKeys(first: 1) { nodes { ${nest(3)} } } }`, {}, { token })).errors).toBeUndefined();
    expect((await gql(app.url, '{ a: serverInfo { version } b: serverInfo { version } }')).errors).toBeUndefined();
    expect(resolverCalls()).toBe(3);
  });

  it('depth 50 → 400 GRAPHQL_VALIDATION_FAILED (limit 12)', async () => {
    const r = await gql(app.url, `{ apiKeys(first: 1) { nodes { ${nest(48)} } } }`, {}, { token });
    expect(r.status).toBe(400);
    expect(r.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    // Cost and depth rules both fire; the depth one names its limit.
    expect(r.errors?.map((e) => e.message).join('\n')).toMatch(/depth limit of 12/i);
    expect(resolverCalls()).toBe(0);
  });

  it('1,000 aliases → 400 (alias limit 30)', async () => {
    const q = `{ ${Array.from({ length: 1000 }, (_, i) => `a${i}: serverInfo { version }`).join(' ')} }`;
    const r = await post(JSON.stringify({ query: q }));
    expect(r.status).toBe(400);
    expect(r.text).toMatch(/alias|tokens/i);
    // And 31 aliases, well under the token limit, are refused by the alias rule itself.
    const r31 = await gql(app.url, `{ ${Array.from({ length: 31 }, (_, i) => `a${i}: serverInfo { version }`).join(' ')} }`);
    expect(r31.status).toBe(400);
    expect(r31.errors?.[0]?.message).toMatch(/alias/i);
    expect(resolverCalls()).toBe(0);
  });

  it('a batched array of operations → 400 (batching is off)', async () => {
    const one = { query: '{ serverInfo { version } }' };
    const r = await post(JSON.stringify(Array.from({ length: 100 }, () => one)));
    expect(r.status).toBe(400);
    expect(r.text).toMatch(/batch/i);
    expect(resolverCalls()).toBe(0);
  });

  it('a 1 MB query → 413 from the body limit (256 kB); a 200 kB one → 400 from the token limit (5,000)', async () => {
    const big = `{ serverInfo { version } } ${'#'.repeat(1 << 20)}`;
    const r = await post(JSON.stringify({ query: big }));
    expect(r.status).toBe(413);
    const medium = `{ ${'serverInfo { version } '.repeat(8_000)}}`;
    const m = await post(JSON.stringify({ query: medium }));
    expect(m.status).toBe(400);
    expect(m.text).toContain('GRAPHQL_PARSE_FAILED');
    expect(resolverCalls()).toBe(0);
  });

  it('1,000 directives and a cost above 20,000 → 400', async () => {
    const d = await gql(app.url, `{ serverInfo ${'@include(if: true) '.repeat(1000)} { version } }`);
    expect(d.status).toBe(400);
    const cost = await gql(app.url, `{ apiKeys(first: 100) { nodes { ${nest(9, 'id name')} } } }`, {}, { token });
    expect(cost.status).toBe(400);
    expect(cost.errors?.[0]?.message).toMatch(/cost|depth/i);
    expect(resolverCalls()).toBe(0);
  });

  it('graphql-ws applies the same limits before executing', async () => {
    const client = wsClient(app.wsUrl, token);
    const deep = subscribe(client, `query { apiKeys(first: 1) { nodes { ${nest(48)} } } }`);
    await expect(deep.next(5_000)).rejects.toEqual(expect.arrayContaining([expect.objectContaining({ message: expect.stringMatching(/depth/i) })]));
    const aliases = subscribe(client, `query { ${Array.from({ length: 1000 }, (_, i) => `a${i}: serverInfo { version }`).join(' ')} }`);
    await expect(aliases.next(5_000)).rejects.toEqual(expect.arrayContaining([expect.objectContaining({ message: expect.stringMatching(/alias|tokens/i) })]));
    expect(resolverCalls()).toBe(0);
    await client.dispose();
  });
});
