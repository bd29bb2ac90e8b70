import type { TestApp } from '../harness/app';
import { gqlOk } from '../harness/graphql';

export async function setReporterSecret(app: TestApp, token: string, platform = false): Promise<string> {
  const d = await gqlOk<{ setLeakReporterSecret: { secret: string } }>(
    app.url,
    'mutation($p:Boolean){ setLeakReporterSecret(platform:$p){ secret reporter { scope start } } }',
    { p: platform },
    { token },
  );
  return d.setLeakReporterSecret.secret;
}

export interface LeakAnswer {
  status: number;
  body: unknown;
}

/** POST /v1/leaks as GitHub's secret scanning would (or any reporter). */
export async function postLeaks(app: TestApp, secret: string | null, body: unknown, raw?: string): Promise<LeakAnswer> {
  const res = await fetch(`${app.url}/v1/leaks`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(secret ? { authorization: `Bearer ${secret}` } : {}) },
    body: raw ?? JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // keep the text
  }
  return { status: res.status, body: parsed };
}

/** Audit events of the caller's organization with this action (and target), oldest first. */
export async function auditActions(
  app: TestApp,
  token: string,
  filter: { action?: string; targetId?: string },
): Promise<{ id: string; action: string; after: Record<string, unknown> | null }[]> {
  const d = await gqlOk<{ auditEvents: { nodes: { id: string; action: string; after: Record<string, unknown> | null }[] } }>(
    app.url,
    'query($f: AuditEventFilter){ auditEvents(filter:$f, first: 200){ nodes { id action after } } }',
    { f: filter },
    { token },
  );
  return d.auditEvents.nodes.reverse();
}

export async function verifyChain(app: TestApp, token: string): Promise<{ ok: boolean; checked: number; reason: string | null }> {
  const d = await gqlOk<{ verifyAuditChain: { ok: boolean; checked: number; reason: string | null } }>(
    app.url,
    '{ verifyAuditChain { ok checked reason } }',
    {},
    { token },
  );
  return d.verifyAuditChain;
}

/** Waits for a condition polled over the API (background work: alerts, notifications). */
export async function eventually<T>(fn: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (ok(v) || Date.now() > deadline) return v;
    await new Promise((r) => setTimeout(r, 200));
  }
}
