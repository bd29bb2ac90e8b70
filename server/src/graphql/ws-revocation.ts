import { KeyChangedMessage, Topic } from '@latchkey/schema';
import type { Logger } from '../infra/logger';
import type { Mongo } from '../infra/mongo';
import type { RedisPubSub } from '../infra/pubsub';
import { apiKeyModel, USABLE_STATUSES, type ApiKeyDoc } from '../keys/key.model';
import { findByIds } from '../infra/mongo';
import type { Principal } from '../access/principal';

/** What graphql-ws hands us as `extra.socket` (the `ws` WebSocket). */
export interface ClosableSocket {
  close(code?: number, reason?: string): void;
}

/** graphql-ws's own code for a refused connection; clients treat it as "do not retry". */
export const CLOSE_FORBIDDEN = 4403;

interface Tracked {
  socket: ClosableSocket;
  principal: Principal;
}

/**
 * Open sockets by who opened them, closed (4403) as soon as that credential stops
 * being valid anywhere in the deployment: a revoked session (Topic.sessionRevoked,
 * one session or all of a user's) or a key that changed into an unusable state
 * (Topic.keyChanged, re-read from MongoDB — the message only says "something changed").
 * Subscriptions otherwise keep streaming on the authorization of `connection_init`.
 */
export class SocketRevocation {
  private readonly open = new Set<Tracked>();
  private started: Promise<void> | undefined;

  constructor(private readonly services: { pubsub: Pick<RedisPubSub, 'subscribe'>; logger: Logger; mongo: Pick<Mongo, 'conn'> }) {}

  start(): Promise<void> {
    this.started ??= (async () => {
      const { pubsub, logger } = this.services;
      await pubsub.subscribe(Topic.sessionRevoked, (raw) => this.onSessionRevoked(raw as { orgId?: string; userId?: string; sessionId?: string }));
      await pubsub.subscribe(Topic.keyChanged, (raw) => {
        const m = KeyChangedMessage.safeParse(raw);
        if (m.success) void this.onKeyChanged(m.data).catch((err: unknown) => logger.warn({ err }, 'could not re-check sockets after a key change'));
      });
    })().catch((err: unknown) => {
      this.started = undefined;
      this.services.logger.warn({ err }, 'socket revocation listener not started; sockets close only when they reconnect');
    });
    return this.started;
  }

  track(socket: ClosableSocket, principal: Principal): () => void {
    const t = { socket, principal };
    this.open.add(t);
    return () => this.open.delete(t);
  }

  get size(): number {
    return this.open.size;
  }

  private onSessionRevoked(m: { orgId?: string; userId?: string; sessionId?: string }): void {
    for (const t of this.open) {
      const p = t.principal;
      if (p.kind !== 'user' || p.orgId !== m.orgId) continue;
      if (m.sessionId ? p.sessionId === m.sessionId : p.id === m.userId) this.close(t, 'session revoked');
    }
  }

  private async onKeyChanged(m: KeyChangedMessage): Promise<void> {
    const affected = [...this.open].filter((t) => t.principal.kind === 'key' && t.principal.orgId === m.orgId && (m.allOfOrg || t.principal.id === m.keyId));
    if (affected.length === 0) return;
    const ids = [...new Set(affected.map((t) => t.principal.id))];
    const projection = { _id: 1, orgId: 1, status: 1, expiresAt: 1, graceEndsAt: 1 } as const;
    const docs = (await findByIds<ApiKeyDoc>(apiKeyModel(this.services.mongo.conn), ids, projection)).filter((d) => d.orgId === m.orgId);
    const usable = new Set(docs.filter(isUsable).map((d) => d._id));
    for (const t of affected) if (!usable.has(t.principal.id)) this.close(t, 'key no longer valid');
  }

  private close(t: Tracked, reason: string): void {
    this.open.delete(t);
    try {
      t.socket.close(CLOSE_FORBIDDEN, reason);
    } catch {
      // already closing
    }
  }
}

function isUsable(d: ApiKeyDoc): boolean {
  const now = Date.now();
  if (!USABLE_STATUSES.includes(d.status)) return false;
  if (d.expiresAt && d.expiresAt.getTime() <= now) return false;
  return !(d.status === 'rotating' && d.graceEndsAt && d.graceEndsAt.getTime() <= now);
}
