import { startTestApp, type TestApp } from '../harness/app';
import { gqlOk } from '../harness/graphql';
import { approveRaw, code, createApp, createKeyRaw, createUser, loginOwner, requestKey, type KeyRequestView } from './key-helpers';

/**
 * The org policy decides how many approvals a key needs (types × permission levels),
 * admin keys always need one, approvals come from distinct people who are not the
 * requester, and the last approval issues the key for claiming.
 */
describe('approval policy matrix', () => {
  let app: TestApp;
  let owner: string;
  let appId: string;
  let requester: { id: string; token: string };
  let approverA: { id: string; token: string };
  let approverB: { id: string; token: string };

  const RULES = [
    { keyType: 'application', subtype: null, level: 'full', approvals: 2 },
    { keyType: 'system', subtype: null, level: null, approvals: 1 },
    { keyType: null, subtype: null, level: 'read_write', approvals: 1 },
  ];

  // [type, subtype, level, scopes, approvals expected under RULES]
  const MATRIX: [string, string, string, string[] | null, number][] = [
    ['application', 'service', 'full', null, 2],
    ['application', 'service', 'read_write', null, 1],
    ['application', 'service', 'read_only', null, 0],
    ['application', 'service', 'custom', ['keys:read'], 0],
    // A custom set as wide as `full` counts as full.
    ['application', 'service', 'custom', ['*:*'], 2],
    ['user', 'personal', 'full', null, 0],
    ['user', 'personal', 'read_write', null, 1],
    ['user', 'personal', 'read_only', null, 0],
    ['user', 'automation', 'custom', ['keys:read', 'keys:write'], 1],
    ['system', 'backup', 'full', null, 1],
    ['system', 'monitoring', 'read_only', null, 1],
    ['system', 'integration', 'custom', ['keys:read'], 1],
    // Admin keys need an approval even where no rule asks for one (see below).
    ['system', 'admin', 'custom', ['keys:read'], 1],
  ];

  beforeAll(async () => {
    app = await startTestApp();
    owner = await loginOwner(app);
    appId = await createApp(app, owner, 'matrix-app');
    // Full keys may only be requested and approved by people who hold *:*.
    [requester, approverA, approverB] = await Promise.all([createUser(app, owner, ['owner']), createUser(app, owner, ['owner']), createUser(app, owner, ['owner'])]);
    await gqlOk(app.url, 'mutation($r:[ApprovalRuleInput!]){ updateOrganizationPolicy(input:{approvalRules:$r}){ recoverableKeysAllowed } }', { r: RULES }, { token: owner });
  });
  afterAll(() => app.stop());

  function input(type: string, subtype: string, level: string, scopes: string[] | null, name: string): Record<string, unknown> {
    return { name, type, subtype, permissionLevel: level, scopes, applicationId: type === 'application' ? appId : null };
  }

  it.each(MATRIX)('%s/%s at level %s %j needs %d approvals; createApiKey only works at 0', async (type, subtype, level, scopes, expected) => {
    const name = `m-${type}-${subtype}-${level}-${(scopes ?? []).join('+')}`;
    const req = await requestKey(app, requester.token, input(type, subtype, level, scopes, name));
    expect(req.approvalsRequired).toBe(expected);
    expect(req.status).toBe(expected === 0 ? 'approved' : 'pending_approval');
    expect(req.keyId === null).toBe(expected > 0);

    const direct = await createKeyRaw(app, requester.token, input(type, subtype, level, scopes, `${name}-direct`));
    if (expected === 0) {
      expect(direct.errors).toBeUndefined();
      expect(direct.data?.createApiKey.apiKey.status).toBe('active');
    } else {
      expect(code(direct)).toBe('FORBIDDEN');
      expect(direct.errors?.[0]?.message).toContain(`requires ${expected} approval`);
      expect(direct.errors?.[0]?.extensions?.approvalsRequired).toBe(expected);
    }
  });

  it('admin keys need an approval even when the policy asks for none', async () => {
    await gqlOk(app.url, 'mutation{ updateOrganizationPolicy(input:{approvalRules:[]}){ recoverableKeysAllowed } }', {}, { token: owner });
    try {
      const admin = await requestKey(app, requester.token, input('system', 'admin', 'custom', ['keys:read'], 'admin-no-rules'));
      expect(admin.approvalsRequired).toBe(1);
      const backup = await requestKey(app, requester.token, input('system', 'backup', 'custom', ['keys:read'], 'backup-no-rules'));
      expect(backup.approvalsRequired).toBe(0);
      expect(backup.status).toBe('approved');
    } finally {
      await gqlOk(app.url, 'mutation($r:[ApprovalRuleInput!]){ updateOrganizationPolicy(input:{approvalRules:$r}){ recoverableKeysAllowed } }', { r: RULES }, { token: owner });
    }
  });

  it('two approvals: distinct approvers, never the requester, the last one issues the key', async () => {
    const req = await requestKey(app, requester.token, input('application', 'service', 'full', null, 'two-approvals'));
    expect(req.approvalsRequired).toBe(2);

    const self = await approveRaw(app, requester.token, req.id);
    expect(code(self)).toBe('FORBIDDEN');
    expect(self.errors?.[0]?.message).toMatch(/own request/);

    const first = await approveRaw(app, approverA.token, req.id, 'looks fine');
    expect(first.errors).toBeUndefined();
    const afterFirst = first.data?.approveKeyRequest as KeyRequestView;
    expect(afterFirst.status).toBe('pending_approval');
    expect(afterFirst.approvals).toEqual([expect.objectContaining({ userId: approverA.id, comment: 'looks fine' })]);
    expect(afterFirst.keyId).toBeNull();

    const again = await approveRaw(app, approverA.token, req.id);
    expect(code(again)).toBe('INVALID_STATE');
    expect(again.errors?.[0]?.message).toMatch(/already approved/);

    const second = await approveRaw(app, approverB.token, req.id);
    expect(second.errors).toBeUndefined();
    const done = second.data?.approveKeyRequest as KeyRequestView;
    expect(done.status).toBe('approved');
    expect(done.approvals.map((a) => a.userId)).toEqual([approverA.id, approverB.id]);
    expect(done.keyId).toMatch(/^key_/);
    expect(new Date(done.claimExpiresAt as string).getTime()).toBeGreaterThan(Date.now() + 6 * 86_400_000);

    const key = await gqlOk<{ apiKey: { status: string; ownerId: string; applicationId: string } }>(
      app.url,
      'query($id:ID!){ apiKey(id:$id){ status ownerId applicationId } }',
      { id: done.keyId },
      { token: owner },
    );
    expect(key.apiKey).toEqual({ status: 'approved', ownerId: expect.stringMatching(/^usr_/), applicationId: appId });

    const late = await approveRaw(app, owner, req.id);
    expect(code(late)).toBe('INVALID_STATE');
    expect(late.errors?.[0]?.message).toContain('approved');
  });

  it('approvers need keys:approve and must hold what the key grants', async () => {
    const req = await requestKey(app, requester.token, input('application', 'service', 'full', null, 'needs-holders'));
    const approverRole = await createUser(app, owner, ['approver']);
    const weak = await approveRaw(app, approverRole.token, req.id);
    expect(code(weak)).toBe('FORBIDDEN');
    expect(weak.errors?.[0]?.message).toContain('*:*');
    const developer = await createUser(app, owner, ['developer']);
    const noScope = await approveRaw(app, developer.token, req.id);
    expect(code(noScope)).toBe('FORBIDDEN');
    expect(noScope.errors?.[0]?.message).toContain('keys:approve');
  });

  it('a rejected request cannot be approved; the rejection is recorded', async () => {
    const req = await requestKey(app, requester.token, input('system', 'backup', 'custom', ['keys:read'], 'to-reject'));
    const rejected = await gqlOk<{ rejectKeyRequest: KeyRequestView }>(
      app.url,
      'mutation($id:ID!){ rejectKeyRequest(id:$id, reason:"not needed"){ status rejection { userId reason } } }',
      { id: req.id },
      { token: approverA.token },
    );
    expect(rejected.rejectKeyRequest).toEqual({ status: 'rejected', rejection: { userId: approverA.id, reason: 'not needed' } });
    const late = await approveRaw(app, approverB.token, req.id);
    expect(code(late)).toBe('INVALID_STATE');
    expect(late.errors?.[0]?.message).toContain('rejected');
  });

  it('pendingForMe lists what I may still approve', async () => {
    const req = await requestKey(app, requester.token, input('system', 'integration', 'custom', ['keys:read'], 'pending-for-me'));
    const q = '{ keyRequests(filter:{pendingForMe:true}, first:100){ nodes { id } } }';
    const forA = await gqlOk<{ keyRequests: { nodes: { id: string }[] } }>(app.url, q, {}, { token: approverA.token });
    expect(forA.keyRequests.nodes.map((n) => n.id)).toContain(req.id);
    const forRequester = await gqlOk<{ keyRequests: { nodes: { id: string }[] } }>(app.url, q, {}, { token: requester.token });
    expect(forRequester.keyRequests.nodes.map((n) => n.id)).not.toContain(req.id);
    const mine = await gqlOk<{ keyRequests: { nodes: { id: string }[] } }>(
      app.url,
      '{ keyRequests(filter:{mine:true}, first:100){ nodes { id } } }',
      {},
      { token: requester.token },
    );
    expect(mine.keyRequests.nodes.map((n) => n.id)).toContain(req.id);
  });
});
