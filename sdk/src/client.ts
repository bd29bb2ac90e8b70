import * as G from './generated/graphql';
import { GraphQLTransport, type Operation } from './graphql-transport';
import type { FetchLike, HttpOptions } from './http';
import { alertsApi, applicationsApi, auditApi, keysApi, requestsApi, rolesApi, usageApi, usersApi, webhooksApi } from './management';
import { SubscriptionHub, type Subscription, type SubscriptionHandlers } from './subscriptions';
import { BandwidthRegistry } from './throttle/bandwidth';
import { UsageReporter, type UsageReport, type UsageReporterOptions } from './usage-reporter';
import { VerifyClient, type FailMode, type VerifyCacheOptions } from './verify-client';
import type { Environment, Verification, VerifyParams } from './verification';

export interface LatchkeyOptions {
  /** This service's or script's own key (`keys:verify` to verify; management scopes to manage). */
  apiKey: string;
  /** Default http://127.0.0.1:4000 */
  baseUrl?: string;
  /** graphql-ws endpoint; default baseUrl with ws(s):// and /graphql. */
  wsUrl?: string;
  /** Sent with every verify call that does not name one: keys of other environments are refused. */
  environment?: Environment;
  /** Longest any single call may take, retries included (default 5 000 ms). */
  timeoutMs?: number;
  /** Extra attempts after a transient failure (default 2). */
  retries?: number;
  /** When Latchkey cannot be asked: 'closed' (default) refuses with UNAVAILABLE/503, 'open' lets requests through. */
  failMode?: FailMode;
  cache?: VerifyCacheOptions | false;
  /**
   * Subscribe to `keyEvents` and drop cached answers of a key as soon as it changes
   * (revoked, suspended, rotated …). Needs `keys:read` on apiKey. Without it a
   * revoked key can pass for at most the cache TTL.
   */
  watchRevocations?: boolean;
  /** Usage batching for the middleware (false: never report). */
  usage?: UsageReporterOptions | false;
  fetch?: FetchLike;
}

/**
 * The Latchkey client: typed management API, subscriptions, `verify()` and what the
 * middleware needs (usage reporting, per-key bandwidth state). One per process.
 */
export class Latchkey {
  readonly keys;
  readonly requests;
  readonly users;
  readonly roles;
  readonly applications;
  readonly audit;
  readonly webhooks;
  /** Analytics queries (`usage`, `usageSummary`); reporting usage is `reporter`. */
  readonly usage;
  readonly alerts;
  readonly bandwidth = new BandwidthRegistry();
  readonly verifier: VerifyClient;
  /** Batches usage reports to POST /v1/usage (absent with `usage: false`). */
  readonly reporter?: UsageReporter;
  private readonly gql: GraphQLTransport;
  private readonly hub: SubscriptionHub;
  private stopWatch?: () => void;
  private readonly watch: boolean;

  constructor(opts: LatchkeyOptions) {
    if (!opts.apiKey) throw new TypeError('Latchkey: apiKey is required');
    const baseUrl = (opts.baseUrl ?? 'http://127.0.0.1:4000').replace(/\/$/, '');
    const http: HttpOptions = { baseUrl, apiKey: opts.apiKey, timeoutMs: opts.timeoutMs ?? 5_000, retries: opts.retries ?? 2, fetch: opts.fetch };
    this.gql = new GraphQLTransport(http);
    this.verifier = new VerifyClient({ http, environment: opts.environment, failMode: opts.failMode, cache: opts.cache });
    if (opts.usage !== false) this.reporter = new UsageReporter(http, opts.usage ?? {});
    this.hub = new SubscriptionHub({ wsUrl: opts.wsUrl ?? `${baseUrl.replace(/^http/, 'ws')}/graphql`, apiKey: opts.apiKey });
    this.watch = opts.watchRevocations ?? false;
    this.keys = keysApi(this.gql);
    this.requests = requestsApi(this.gql);
    this.users = usersApi(this.gql);
    this.roles = rolesApi(this.gql);
    this.applications = applicationsApi(this.gql);
    this.audit = auditApi(this.gql);
    this.webhooks = webhooksApi(this.gql);
    this.usage = usageApi(this.gql);
    this.alerts = alertsApi(this.gql);
  }

  /**
   * Signs in as a console user and returns a client acting with that session (scripts,
   * first set-up). Services should use an API key instead.
   */
  static async login(opts: Omit<LatchkeyOptions, 'apiKey'> & { email: string; password: string }): Promise<Latchkey> {
    const { email, password, ...rest } = opts;
    const anon = new GraphQLTransport({
      baseUrl: (rest.baseUrl ?? 'http://127.0.0.1:4000').replace(/\/$/, ''),
      apiKey: '',
      timeoutMs: rest.timeoutMs ?? 5_000,
      retries: 0,
      fetch: rest.fetch,
    });
    const { login } = await anon.request(G.LoginDocument, { email, password });
    return new Latchkey({ ...rest, apiKey: login.token });
  }

  /** May this key do this, right now? See VerifyClient for cache and fail mode. */
  verify(key: string, params: VerifyParams = {}): Promise<Verification> {
    if (this.watch && !this.stopWatch) this.startWatch();
    return this.verifier.verify(key, params);
  }

  /** Queues one usage report (the middleware calls this for every request). */
  reportUsage(r: Omit<UsageReport, 'id'> & { id?: string }): boolean {
    return this.reporter?.report(r) ?? false;
  }

  /** Any generated (or your own typed) operation. */
  request<TResult, TVariables>(op: Operation<TResult, TVariables>, variables?: TVariables): Promise<TResult> {
    return this.gql.request(op, variables);
  }

  /** Live events over graphql-ws as async iterables: `for await (const e of lk.subscribe.keyEvents()) …`. */
  readonly subscribe = {
    keyEvents: () => this.iterate(G.KeyEventsDocument, {}, (d) => d.keyEvents),
    alertRaised: () => this.iterate(G.AlertRaisedDocument, {}, (d) => d.alertRaised),
    rateLimitEvents: (keyId: string) => this.iterate(G.RateLimitEventsDocument, { keyId }, (d) => d.rateLimitEvents),
    usageTick: () => this.iterate(G.UsageTickDocument, {}, (d) => d.usageTick),
  };

  /** The same events with callbacks; each returns its unsubscribe function. */
  readonly listen = {
    keyEvents: (h: SubscriptionHandlers<G.KeyEventsSubscription['keyEvents']>) => this.callbacks(G.KeyEventsDocument, {}, (d) => d.keyEvents, h),
    alertRaised: (h: SubscriptionHandlers<G.AlertRaisedSubscription['alertRaised']>) => this.callbacks(G.AlertRaisedDocument, {}, (d) => d.alertRaised, h),
    rateLimitEvents: (keyId: string, h: SubscriptionHandlers<G.RateLimitEventsSubscription['rateLimitEvents']>) =>
      this.callbacks(G.RateLimitEventsDocument, { keyId }, (d) => d.rateLimitEvents, h),
    usageTick: (h: SubscriptionHandlers<G.UsageTickSubscription['usageTick']>) => this.callbacks(G.UsageTickDocument, {}, (d) => d.usageTick, h),
  };

  private callbacks<TResult, TVariables, T>(op: Operation<TResult, TVariables>, variables: TVariables, pick: (d: TResult) => T, h: SubscriptionHandlers<T>): () => void {
    return this.hub.listen(op, variables, { next: (d) => h.next(pick(d)), error: h.error, complete: h.complete });
  }

  private iterate<TResult, TVariables, T>(op: Operation<TResult, TVariables>, variables: TVariables, pick: (d: TResult) => T): Subscription<T> {
    const sub = this.hub.iterate(op, variables);
    const it = sub[Symbol.asyncIterator]();
    return {
      unsubscribe: sub.unsubscribe,
      [Symbol.asyncIterator]: () => ({
        next: async (): Promise<IteratorResult<T>> => {
          const r = await it.next();
          return r.done ? { value: undefined, done: true } : { value: pick(r.value), done: false };
        },
        return: async (): Promise<IteratorResult<T>> => {
          sub.unsubscribe();
          return { value: undefined, done: true };
        },
      }),
    };
  }

  private startWatch(): void {
    this.stopWatch = this.hub.listen(G.KeyEventsDocument, {}, {
      next: (d) => {
        if (d.keyEvents.keyId) this.verifier.cache.invalidateKey(d.keyEvents.keyId);
      },
      // Without the feed the cache cannot hear of revocations: drop it and resubscribe on the next verify.
      error: () => {
        this.verifier.cache.clear();
        this.stopWatch = undefined;
      },
    });
  }

  /** Sends queued usage, closes the subscription socket. Safe to call twice. */
  async close(): Promise<void> {
    this.stopWatch?.();
    await this.reporter?.close();
    await this.hub.close();
  }
}
