import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { LatchkeyError } from './errors';
import type { Operation } from './graphql-transport';

export interface Subscription<T> extends AsyncIterable<T> {
  /** Stops the subscription; pending iteration ends. Safe to call twice. */
  unsubscribe(): void;
}

export interface SubscriptionHandlers<T> {
  next(value: T): void;
  error?(err: LatchkeyError): void;
  complete?(): void;
}

export interface WsOptions {
  wsUrl: string;
  apiKey: string;
  /** Reconnect attempts after a dropped socket (default 5, with graphql-ws's backoff). */
  retryAttempts?: number;
}

/**
 * One lazy graphql-ws connection shared by every subscription of a client. The key
 * travels in `connection_init` as `{ authorization: 'Bearer <key>' }`, never in the URL.
 */
export class SubscriptionHub {
  private client?: Client;

  constructor(private readonly opts: WsOptions) {}

  private get ws(): Client {
    this.client ??= createClient({
      url: this.opts.wsUrl,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${this.opts.apiKey}` },
      lazy: true,
      retryAttempts: this.opts.retryAttempts ?? 5,
    });
    return this.client;
  }

  /** Callback style: returns the unsubscribe function. */
  listen<TResult, TVariables>(op: Operation<TResult, TVariables>, variables: TVariables, h: SubscriptionHandlers<TResult>): () => void {
    return this.ws.subscribe<TResult>(
      { query: op.toString(), variables: variables as Record<string, unknown> },
      {
        next: (v) => {
          if (v.errors?.length) {
            const first = v.errors[0];
            const code = typeof first?.extensions?.code === 'string' ? first.extensions.code : 'GRAPHQL_ERROR';
            h.error?.(new LatchkeyError(code, first?.message ?? 'subscription error', { details: v.errors }));
            return;
          }
          if (v.data) h.next(v.data as TResult);
        },
        error: (e) => h.error?.(toError(e)),
        complete: () => h.complete?.(),
      },
    );
  }

  /** Async-iterator style: `for await (const e of sub) …`; errors are thrown from the loop. */
  iterate<TResult, TVariables>(op: Operation<TResult, TVariables>, variables: TVariables): Subscription<TResult> {
    const queue: TResult[] = [];
    const waiters: { resolve: (r: IteratorResult<TResult>) => void; reject: (e: unknown) => void }[] = [];
    let done = false;
    let failure: LatchkeyError | undefined;
    const finish = () => {
      done = true;
      for (const w of waiters.splice(0)) {
        if (failure) w.reject(failure);
        else w.resolve({ value: undefined, done: true });
      }
    };
    const stop = this.listen(op, variables, {
      next: (v) => {
        const w = waiters.shift();
        if (w) w.resolve({ value: v, done: false });
        else queue.push(v);
      },
      error: (e) => {
        failure = e;
        finish();
      },
      complete: finish,
    });
    const unsubscribe = () => {
      if (done) return;
      stop();
      finish();
    };
    return {
      unsubscribe,
      [Symbol.asyncIterator]: () => ({
        next: () => {
          const v = queue.shift();
          if (v !== undefined) return Promise.resolve({ value: v, done: false });
          if (failure) return Promise.reject(failure);
          if (done) return Promise.resolve({ value: undefined, done: true });
          return new Promise((resolve, reject) => waiters.push({ resolve, reject }));
        },
        return: () => {
          unsubscribe();
          return Promise.resolve({ value: undefined, done: true });
        },
      }),
    };
  }

  async close(): Promise<void> {
    const c = this.client;
    this.client = undefined;
    await c?.dispose();
  }
}

function toError(e: unknown): LatchkeyError {
  if (e instanceof LatchkeyError) return e;
  if (Array.isArray(e)) {
    const first = e[0] as { message?: string; extensions?: { code?: string } } | undefined;
    return new LatchkeyError(first?.extensions?.code ?? 'GRAPHQL_ERROR', first?.message ?? 'subscription error', { details: e });
  }
  // A CloseEvent from the socket (e.g. 4403 Forbidden when the key is refused).
  const ce = e as { code?: number; reason?: string; message?: string };
  if (typeof ce.code === 'number') {
    const refused = ce.code === 4403 || ce.code === 4401;
    return new LatchkeyError(refused ? 'UNAUTHENTICATED' : 'UNAVAILABLE', `subscription closed: ${ce.code} ${ce.reason ?? ''}`.trim(), { details: e });
  }
  return new LatchkeyError('UNAVAILABLE', ce.message ?? String(e), { transient: true, cause: e });
}
