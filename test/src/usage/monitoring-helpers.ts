import type { TestApp } from '../harness/app';
import { gqlOk } from '../harness/graphql';

/** Hands every buffered verify signal to its consumers now (the timer would within 200 ms). */
export async function flushSignals(app: TestApp): Promise<void> {
  await app.server.services.signals.flush();
}

/** POST /v1/usage as a service behind Latchkey would. */
export async function postUsage(app: TestApp, callerKey: string, body: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${app.url}/v1/usage`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${callerKey}` },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

export interface AlertRow {
  id: string;
  type: string;
  severity: string;
  status: string;
  keyId: string | null;
  ownerId: string | null;
  ip: string | null;
  count: number;
  summary: string;
  response: { action: string; keyId: string; error: string | null } | null;
}

export const ALERT_FIELDS = 'id type severity status keyId ownerId ip count summary response { action keyId error }';

export async function listAlerts(app: TestApp, token: string, filter: Record<string, unknown> = {}): Promise<AlertRow[]> {
  const r = await gqlOk<{ alerts: { nodes: AlertRow[] } }>(
    app.url,
    `query($f: AlertFilterInput){ alerts(filter:$f, first:100){ nodes { ${ALERT_FIELDS} } } }`,
    { f: filter },
    { token },
  );
  return r.alerts.nodes;
}

/** Polls until `find` returns something (alerts are raised off the request path). */
export async function eventually<T>(find: () => Promise<T | undefined | null | false>, timeoutMs = 10_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await find();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export const minuteOf = (t: number): number => Math.floor(t / 60_000);
