import type { CommandMonitor } from '../harness/command-monitor';
import { consoleOperation, LOGIN } from '../../bench/manage/console-operations';
import { call, type OrgWorld } from '../../bench/manage/world';

/**
 * What an administrator does in the console, one operation at a time, with each
 * operation's store commands labelled by its name: the pages' queries (the console's own
 * documents), every key action, the approval queue, alerts, people and a REST verify.
 */

interface Ctx {
  url: string;
  monitor: CommandMonitor;
  a: OrgWorld;
  b: OrgWorld;
}

type Data = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- GraphQL answers, read by path

export async function runManagementSuite({ url, monitor, a, b }: Ctx): Promise<void> {
  const op = (label: string, name: string, vars: Record<string, unknown> = {}, token = a.owner.token): Promise<Data> =>
    monitor.during(label, () => call<Data>(url, consoleOperation(name), vars, token));
  const now = Date.now();
  const day = 86_400_000;

  const token = (await monitor.during('Login', () => call<Data>(url, LOGIN, { e: a.owner.email, p: a.owner.password }))).login.token as string;
  await op('ShellMe (every page)', 'ShellMe', {}, token);
  await op('DashboardKeyStats', 'DashboardKeyStats', { soon: new Date(now + 7 * day).toISOString() });
  await op('DashboardAlerts', 'DashboardAlerts');
  await op('DashboardTraffic', 'DashboardTraffic', { from: new Date(now - day).toISOString(), to: new Date(now).toISOString() });

  // The keys page: first 50 with each filter and sort the console offers.
  const list = (label: string, filter: Record<string, unknown>, sort: Record<string, unknown> = { field: 'createdAt', direction: 'desc' }, after?: string) =>
    op(`KeyList ${label}`, 'KeyList', { filter, sort, first: 50, after });
  await list('(newest first)', {});
  await list('status=suspended', { status: 'suspended' });
  await list('environment=staging', { environment: 'staging' });
  await list('type=user', { type: 'user' });
  await list('subtype=web', { subtype: 'web' });
  await list('tag=team-3', { tag: 'team-3' });
  await list('application', { applicationId: a.applicationIds[1] });
  await list('owner', { ownerId: a.developer.id });
  await list('search=billing', { search: 'billing' });
  await list('status+environment+type', { status: 'active', environment: 'production', type: 'application' });
  await list('expiringBefore', { expiringBefore: new Date(now + 30 * day).toISOString() });
  await list('sort=name asc', {}, { field: 'name', direction: 'asc' });
  await list('sort=expiresAt asc', {}, { field: 'expiresAt', direction: 'asc' });
  await list('sort=lastUsedAt desc', {}, { field: 'lastUsedAt', direction: 'desc' });
  // A deep page: follow the cursor to the last page.
  let after: string | undefined;
  for (let page = 1; ; page++) {
    const r = await list(`page ${page > 1 ? 'n>1' : 1} (cursor)`, {}, undefined, after);
    after = r.apiKeys.pageInfo.endCursor ?? undefined;
    if (!r.apiKeys.pageInfo.hasNextPage) break;
  }
  await op('KeyList (organization B)', 'KeyList', { filter: {}, first: 50 }, b.owner.token);

  await op('KeyDetail', 'KeyDetail', { id: a.keyId });
  await op('WizardMe', 'WizardMe');
  await op('WizardRoles', 'WizardRoles');
  await op('WizardPolicy', 'WizardPolicy');
  const created = await op('CreateKey', 'CreateKey', {
    input: {
      name: 'suite-created',
      type: 'application',
      subtype: 'service',
      applicationId: a.applicationIds[0],
      permissionLevel: 'custom',
      scopes: ['applications:read'],
      tags: ['suite'],
    },
    idem: `suite-${now}`,
  });
  const keyId = created.createApiKey.apiKey.id as string;
  await op('KeyDetail (new key)', 'KeyDetail', { id: keyId });
  await op('UpdateKey', 'UpdateKey', { id: keyId, input: { name: 'suite-updated', tags: ['suite', 'edited'], scopes: ['applications:read', 'reports:read'] } });
  await op('SuspendKey', 'SuspendKey', { id: keyId, reason: 'suite' });
  await op('ReactivateKey', 'ReactivateKey', { id: keyId });
  await op('RenewKey', 'RenewKey', { id: keyId, at: new Date(now + 90 * day).toISOString() });
  const rotated = await op('RotateKey', 'RotateKey', { id: keyId, grace: 3600, idem: `suite-rot-${now}` });
  await op('RevokeKey', 'RevokeKey', { id: rotated.rotateApiKey.apiKey.id, reason: 'suite' });
  await op('RateLimitStatus', 'RateLimitStatus', { keyId: a.keyId });
  await op('KeyUsage', 'KeyUsage', { keyId: a.keyId, from: new Date(now - day).toISOString(), to: new Date(now).toISOString(), granularity: 'HOUR' });

  // The audit log: newest first, each filter, then deeper pages.
  const audit = (label: string, filter: Record<string, unknown>, afterCursor?: string) => op(`AuditEvents ${label}`, 'AuditEvents', { filter, after: afterCursor });
  let page = await audit('(newest first)', {});
  await audit('action', { action: 'key.created' });
  await audit('actor', { actorId: a.owner.id });
  await audit('actorType', { actorType: 'USER' });
  await audit('target', { targetType: 'key', targetId: a.keyId });
  await audit('time range', { from: new Date(now - 2 * day).toISOString(), to: new Date(now - day).toISOString() });
  for (let i = 0; i < 3 && page.auditEvents.pageInfo.hasNextPage; i++) page = await audit('page n>1 (cursor)', {}, page.auditEvents.pageInfo.endCursor);

  // The approval queue.
  await op('Requests pendingForMe', 'Requests', { filter: { pendingForMe: true } }, a.approver.token);
  await op('Requests status', 'Requests', { filter: { status: 'pending_approval' } });
  await op('Requests mine', 'Requests', { filter: { mine: true } }, a.developer.token);
  await op('RequestPeople', 'RequestPeople');
  const queue = await op('Requests (all)', 'Requests', {});
  const pending = (queue.keyRequests.nodes as { id: string; status: string }[]).filter((r) => r.status === 'pending_approval');
  if (pending[0]) await op('ApproveRequest', 'ApproveRequest', { id: a.requestId, comment: 'ok' }, a.approver.token);
  if (pending[1]) await op('RejectRequest', 'RejectRequest', { id: pending[pending.length - 1]?.id, reason: 'not needed' });

  // Alerts.
  const alerts = await op('Alerts (newest first)', 'Alerts', {});
  await op('Alerts status=OPEN', 'Alerts', { filter: { status: ['OPEN'] } });
  await op('Alerts severity', 'Alerts', { filter: { severity: ['HIGH', 'CRITICAL'] } });
  await op('Alerts key', 'Alerts', { filter: { keyId: a.keyId } });
  const alertId = (alerts.alerts.nodes[0]?.id as string | undefined) ?? a.alertId;
  await op('AcknowledgeAlert', 'AcknowledgeAlert', { id: alertId });
  await op('ResolveAlert', 'ResolveAlert', { id: alertId });

  // People, roles, applications, webhooks, policy.
  await op('Members', 'Members');
  await op('RoleChoices', 'RoleChoices');
  await op('Roles', 'Roles');
  await op('Applications', 'Applications');
  await op('WebhookEndpoints', 'WebhookEndpoints');
  await op('Policy', 'Policy');
  await op('ToolKeyChoices', 'ToolKeyChoices');

  // What an integrating service does: REST verify of a good, a revoked and an unknown key.
  const verify = (label: string, key: string) =>
    monitor.during(`REST verify ${label}`, async () => {
      const res = await fetch(`${url}/v1/keys/verify`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${a.verifierSecret}` },
        body: JSON.stringify({ key }),
      });
      await res.arrayBuffer();
    });
  await verify('(valid)', a.keySecret);
  await verify('(revoked)', rotated.rotateApiKey.secret as string);
  await verify('(unknown)', 'lk_prd_0000000000000000000000000000000000000000000000');
  await op('Logout', 'Logout', {}, token);
}
