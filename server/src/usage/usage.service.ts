import type { Connection } from 'mongoose';
import type { Redis } from 'ioredis';
import type { Config } from '../infra/config';
import type { Logger } from '../infra/logger';
import type { RedisPubSub } from '../infra/pubsub';
import type { RateLimiter } from '../ratelimit/ratelimit.service';
import type { VerifyService } from '../verify/verify.service';
import type { SignalBuffer, VerifySignal } from '../verify/verify-signals';
import type { GeoIp } from '../geo/geo.service';
import { KeyDirectory } from './key-directory';
import { UsageKeys } from './usage-keys';
import { UsageRecorder } from './usage-recorder';
import { UsageFolder, type FoldResult } from './usage-fold';
import { ingestReports, parseUsageBody, type IngestResult } from './usage-ingest';
import { UsageQueries, type SummaryFilter, type UsagePoint, type UsageSummaryResult } from './usage-query';
import { ScopeTracker } from './scope-tracker';
import { RealtimePublisher } from './realtime-publisher';
import { requestLogModel, scopeUseModel, usageModel } from './usage.model';
import type { Granularity } from './usage-buckets';
import type { UsageTotals } from './usage-rollup';

export interface UsageDeps {
  conn: Connection;
  redis: Redis;
  pubsub: RedisPubSub;
  config: Config;
  logger: Logger;
  limiter: RateLimiter;
  verify: VerifyService;
  geo: GeoIp;
  directory: KeyDirectory;
  signals: SignalBuffer;
}

/**
 * Usage analytics (`services.usage`, docs/MONITORING.md): counts verify signals and
 * reported requests into Redis, folds them into minute/hour/day rollups (the usage
 * job), answers `usage` / `usageSummary` from those rollups, and feeds the realtime
 * rate-limit events and usage ticks.
 */
export class UsageService {
  readonly keys: UsageKeys;
  readonly recorder: UsageRecorder;
  readonly realtime: RealtimePublisher;
  private readonly folder: UsageFolder;
  private readonly queries: UsageQueries;
  private readonly scopes: ScopeTracker;

  constructor(private readonly deps: UsageDeps) {
    for (const g of ['MINUTE', 'HOUR', 'DAY'] as const) usageModel(deps.conn, g);
    requestLogModel(deps.conn);
    scopeUseModel(deps.conn);
    this.keys = new UsageKeys(deps.config.REDIS_PREFIX);
    this.recorder = new UsageRecorder(deps.redis, this.keys, deps.geo);
    this.folder = new UsageFolder({ conn: deps.conn, redis: deps.redis, keys: this.keys, limiter: deps.limiter, logger: deps.logger });
    this.queries = new UsageQueries(deps.conn);
    this.scopes = new ScopeTracker(deps.conn);
    this.realtime = new RealtimePublisher({ redis: deps.redis, pubsub: deps.pubsub, keys: this.keys, logger: deps.logger });
  }

  /** The SignalBuffer consumer: counters first (they feed rollups), then the live feeds. */
  readonly onSignals = async (batch: readonly VerifySignal[]): Promise<void> => {
    await this.recorder.recordSignals(batch);
    await Promise.all([
      this.scopes.onSignals(batch).catch((err: unknown) => this.deps.logger.warn({ err }, 'scope usage not recorded')),
      this.realtime.onSignals(batch).catch((err: unknown) => this.deps.logger.debug({ err }, 'rate-limit events not published')),
    ]);
  };

  /** POST /v1/usage: `body` is the raw JSON; throws BAD_USER_INPUT with field paths. */
  ingest(orgId: string, body: unknown): Promise<IngestResult> {
    const reports = parseUsageBody(body);
    const { conn, redis, logger, limiter, verify, geo, directory } = this.deps;
    const echo = (facts: readonly { orgId: string; keyId: string; at: number; status: number }[]) => {
      // `status` marks a report echo (usage-keys.ts isReportEcho): the adaptive limiter counts 5xx.
      for (const f of facts) this.deps.signals.push(Object.assign({ at: f.at, code: 'VALID' as const, orgId: f.orgId, keyId: f.keyId }, { status: f.status }));
    };
    const ingestDeps = {
      conn,
      redis,
      logger,
      keys: this.keys,
      recorder: this.recorder,
      directory,
      limiter,
      verify,
      geo,
      echo,
      ipTruncation: this.deps.config.REQUEST_LOG_IP_TRUNCATION,
    };
    return ingestReports(ingestDeps, orgId, reports);
  }

  fold(opts: { now?: number; upToMinute?: number } = {}): Promise<FoldResult> {
    return this.folder.fold(opts);
  }

  usage(orgId: string, keyId: string, from: Date, to: Date, granularity: Granularity): Promise<UsagePoint[]> {
    return this.queries.series(orgId, keyId, from, to, granularity);
  }

  perKeyTotals(orgId: string, from: Date, to: Date): Promise<Map<string, UsageTotals>> {
    return this.queries.perKey(orgId, from, to);
  }

  summary(orgId: string, from: Date, to: Date, filter: SummaryFilter = {}): Promise<UsageSummaryResult> {
    return this.queries.summary(orgId, from, to, filter);
  }
}
