import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

export interface WsSubscription<T> {
  /** Resolves with the next event (or rejects after timeoutMs). */
  next(timeoutMs?: number): Promise<T>;
  received: T[];
  dispose(): void;
}

export function wsClient(wsUrl: string, authorization?: string, extra: { headers?: Record<string, string> } = {}): Client {
  return createClient({
    url: wsUrl,
    webSocketImpl: class extends WebSocket {
      constructor(address: string, protocols?: string | string[]) {
        super(address, protocols, { headers: extra.headers });
      }
    },
    connectionParams: authorization ? { authorization: `Bearer ${authorization}` } : undefined,
    retryAttempts: 0,
    lazy: true,
  });
}

/** Subscribes and collects events; errors reject the pending next(). */
export function subscribe<T = Record<string, unknown>>(client: Client, query: string, variables: Record<string, unknown> = {}): WsSubscription<T> {
  const received: T[] = [];
  const waiters: { resolve: (v: T) => void; reject: (e: unknown) => void }[] = [];
  let failure: unknown;
  let cursor = 0;
  const dispose = client.subscribe<T>(
    { query, variables },
    {
      next: (v) => {
        if (v.errors) {
          failure = v.errors;
          waiters.splice(0).forEach((w) => w.reject(v.errors));
          return;
        }
        received.push(v.data as T);
        const w = waiters.shift();
        if (w) {
          cursor++;
          w.resolve(v.data as T);
        }
      },
      error: (e) => {
        failure = e;
        waiters.splice(0).forEach((w) => w.reject(e));
      },
      complete: () => undefined,
    },
  );
  return {
    received,
    dispose,
    next(timeoutMs = 5_000) {
      if (failure) return Promise.reject(failure);
      if (cursor < received.length) return Promise.resolve(received[cursor++] as T);
      return new Promise<T>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`no subscription event within ${timeoutMs} ms`)), timeoutMs);
        waiters.push({
          resolve: (v) => {
            clearTimeout(t);
            resolve(v);
          },
          reject: (e) => {
            clearTimeout(t);
            reject(e);
          },
        });
      });
    },
  };
}
