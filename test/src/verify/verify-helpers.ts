import type { TestApp } from '../harness/app';
import { createApp, createKey, loginOwner } from '../keys/key-helpers';

export interface VerifyBody {
  valid: boolean;
  code: string;
  keyId?: string;
  orgId?: string;
  scopes?: string[];
  ratelimit?: { limit: number; remaining: number; resetMs: number; window: string };
  dimension?: string;
  reason?: string;
}

/** POST /v1/keys/verify as a service would. */
export async function verifyHttp(app: TestApp, callerKey: string, body: Record<string, unknown>): Promise<{ status: number; body: VerifyBody & { error?: { code: string } } }> {
  const res = await fetch(`${app.url}/v1/keys/verify`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${callerKey}` },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as VerifyBody & { error?: { code: string } } };
}

/** The owner's session and a system key holding keys:verify for calling the verify endpoint. */
export async function verifierSetup(app: TestApp): Promise<{ token: string; verifier: string }> {
  const token = await loginOwner(app);
  const v = await createKey(app, token, {
    name: 'verifier',
    type: 'application',
    subtype: 'service',
    applicationId: await appId(app, token),
    permissionLevel: 'custom',
    scopes: ['keys:verify'],
    // The caller's own key is limited too: give it room for the load tests.
    rateLimit: { perSecond: 100_000, perMinute: 1_000_000 },
  });
  return { token, verifier: v.secret as string };
}

let cachedApp: { app: TestApp; id: string } | undefined;
export async function appId(app: TestApp, token: string): Promise<string> {
  if (cachedApp?.app === app) return cachedApp.id;
  const id = await createApp(app, token, `svc-${Math.random().toString(36).slice(2, 8)}`);
  cachedApp = { app, id };
  return id;
}

/** A service key with the given extra input; returns id and secret. */
export async function serviceKey(app: TestApp, token: string, input: Record<string, unknown> = {}): Promise<{ id: string; secret: string }> {
  const k = await createKey(app, token, {
    name: `k-${Math.random().toString(36).slice(2, 8)}`,
    type: 'application',
    subtype: 'service',
    applicationId: await appId(app, token),
    permissionLevel: 'custom',
    scopes: ['applications:read', 'applications:deploy:app_1'],
    ...input,
  });
  return { id: k.apiKey.id, secret: k.secret as string };
}
