import { startTestApp, type TestApp } from '../harness/app';
import { errorCode, gql, gqlOk } from '../harness/graphql';

const OWNER = { email: 'owner@example.test', password: 'correct horse battery staple 42' };

interface EventsPage {
  auditEvents: {
    nodes: {
      id: string;
      seq: number;
      action: string;
      actor: { type: string; id: string };
      ip: string | null;
      after: Record<string, unknown> | null;
      hash: string;
      prevHash: string;
    }[];
    pageInfo: { endCursor: string | null; hasNextPage: boolean };
  };
}

const EVENTS = `query($filter: AuditEventFilter, $first: Int, $after: String) {
  auditEvents(filter: $filter, first: $first, after: $after) {
    nodes { id seq action actor { type id } ip after hash prevHash }
    pageInfo { endCursor hasNextPage }
  }
}`;

// /readyz does not wait for the first-start seeding (a boot task), so the owner may not
// exist for a moment after startTestApp() returns.
async function signIn(url: string): Promise<string> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const r = await gql<{ login: { token: string } }>(url, 'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }', {
      e: OWNER.email,
      p: OWNER.password,
    });
    if (r.data?.login) return r.data.login.token;
    if (Date.now() > deadline) throw new Error(`owner cannot sign in: ${JSON.stringify(r.errors)}`);
    await new Promise((res) => setTimeout(res, 200));
  }
}

describe('audit trail over GraphQL', () => {
  let app: TestApp;
  let token: string;

  beforeAll(async () => {
    app = await startTestApp();
    token = await signIn(app.url);
  });
  afterAll(() => app.stop());

  it('the owner sees the sign-in in the audit trail, with request facts and no secrets', async () => {
    const { auditEvents } = await gqlOk<EventsPage>(app.url, EVENTS, { filter: { action: 'user.login' } }, { token });
    expect(auditEvents.nodes.length).toBeGreaterThanOrEqual(1);
    const login = auditEvents.nodes[0];
    expect(login).toMatchObject({ action: 'user.login', actor: { type: 'USER' } });
    expect(login?.ip).toBe('127.0.0.1'); // the test signed in over loopback
    expect(JSON.stringify(auditEvents)).not.toContain(token);
  });

  it('pages with an opaque cursor and rejects page sizes over 200', async () => {
    const p1 = await gqlOk<EventsPage>(app.url, EVENTS, { first: 1 }, { token });
    expect(p1.auditEvents.nodes).toHaveLength(1);
    if (p1.auditEvents.pageInfo.hasNextPage) {
      const p2 = await gqlOk<EventsPage>(app.url, EVENTS, { first: 1, after: p1.auditEvents.pageInfo.endCursor }, { token });
      expect(p2.auditEvents.nodes[0]?.seq).toBeLessThan(p1.auditEvents.nodes[0]?.seq ?? 0);
    }
    expect(errorCode(await gql(app.url, EVENTS, { first: 500 }, { token }))).toBe('BAD_USER_INPUT');
  });

  it('verifies the chain and exports it', async () => {
    const v = await gqlOk<{ verifyAuditChain: { ok: boolean; checked: number } }>(
      app.url,
      '{ verifyAuditChain { ok checked lastSeq lastHash firstBrokenSeq reason } }',
      {},
      { token },
    );
    expect(v.verifyAuditChain.ok).toBe(true);
    expect(v.verifyAuditChain.checked).toBeGreaterThan(0);
    const nd = await gqlOk<{ auditExport: string }>(app.url, '{ auditExport(format: NDJSON) }', {}, { token });
    expect(nd.auditExport.trimEnd().split('\n')).toHaveLength(v.verifyAuditChain.checked);
    const csv = await gqlOk<{ auditExport: string }>(app.url, '{ auditExport(format: CSV) }', {}, { token });
    expect(csv.auditExport.startsWith('seq,id,time,')).toBe(true);
  });

  it('anonymous callers are refused', async () => {
    expect(errorCode(await gql(app.url, EVENTS, {}))).toBe('UNAUTHENTICATED');
    expect(errorCode(await gql(app.url, '{ auditExport(format: CSV) }'))).toBe('UNAUTHENTICATED');
  });
});
