import type { Connection } from 'mongoose';
import type { AppServices } from '@latchkey/server';
import type { TestApp } from '../harness/app';
import { gqlOk } from '../harness/graphql';

export { createKey, createApp, getKey, inDays, KEY_FIELDS, type ApiKeyView } from '../keys/key-helpers';
export { createUser, dbOf, loginOwner, meOf } from '../access/access-helpers';

export const DAY = 86_400_000;

/** The app's own services: jobs tests call the service functions directly for determinism. */
export function servicesOf(app: TestApp): AppServices {
  return app.server.services;
}

export interface NotificationView {
  id: string;
  kind: string;
  keyId: string | null;
  title: string;
  body: string;
  readAt: string | null;
}

export async function notifications(app: TestApp, token: string, unreadOnly = false): Promise<{ nodes: NotificationView[]; unreadCount: number }> {
  const d = await gqlOk<{ notifications: { nodes: NotificationView[]; unreadCount: number } }>(
    app.url,
    'query($u:Boolean){ notifications(unreadOnly:$u, first:100){ nodes { id kind keyId title body readAt } unreadCount } }',
    { u: unreadOnly },
    { token },
  );
  return d.notifications;
}

/** Webhook deliveries stored for an event type (one per endpoint and event id). */
export async function deliveriesOf(db: Connection, eventType: string): Promise<{ eventId: string; body: string }[]> {
  return db.collection('webhook_deliveries').find({ eventType }).project<{ eventId: string; body: string }>({ eventId: 1, body: 1 }).toArray();
}

/** A webhook endpoint for every event (deliveries are recorded whether or not anyone answers). */
export async function addWebhookEndpoint(app: TestApp, token: string): Promise<void> {
  await gqlOk(app.url, 'mutation($i: CreateWebhookEndpointInput!){ createWebhookEndpoint(input:$i){ secret } }', { i: { url: 'http://127.0.0.1:9/hook' } }, { token });
}

export async function waitFor<T>(fn: () => Promise<T | undefined | null | false>, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
