import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { Redis } from 'ioredis';
import type { Model } from 'mongoose';
import { QueueName } from '@latchkey/schema';
import type { CacheStats } from '../verify/key-cache';
import type { SignalBuffer, VerifySignal } from '../verify/verify-signals';
import type { AlertDoc } from '../alerts/alert.model';
import { isReportEcho } from './usage-keys';

export interface MonitoringMetricDeps {
  registry: Registry;
  redis: Redis;
  /** BullMQ key prefix (`<REDIS_PREFIX>:bull`). */
  queuePrefix: string;
  cacheStats: () => CacheStats;
  signals: SignalBuffer;
  alerts: Model<AlertDoc>;
}

const QUEUE_STATES: [string, 'list' | 'zset'][] = [['wait', 'list'], ['active', 'list'], ['delayed', 'zset'], ['prioritized', 'zset'], ['failed', 'zset']];

/**
 * Monitoring metrics on /metrics (Prometheus conventions: `latchkey_` prefix, `_total`
 * counters, `_seconds` units). Counters move as signals flow; gauges that describe
 * shared state (queue depths, open alerts, Redis round trip) are read at scrape time.
 */
export function registerMonitoringMetrics(d: MonitoringMetricDeps) {
  const registers = [d.registry];
  const verifications = new Counter({
    name: 'latchkey_verifications_total',
    help: 'Key verifications by outcome code (from verify signals; every node counts its own)',
    labelNames: ['code'] as const,
    registers,
  });
  const verifyDuration = new Histogram({
    name: 'latchkey_verify_duration_seconds',
    help: 'Time to answer POST /v1/keys/verify, by status class',
    labelNames: ['status'] as const,
    buckets: [0.0002, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    registers,
  });
  const alertsRaised = new Counter({
    name: 'latchkey_alerts_raised_total',
    help: 'Alerts opened or escalated by this node, by type and severity',
    labelNames: ['type', 'severity'] as const,
    registers,
  });

  new Counter({
    name: 'latchkey_verify_cache_requests_total',
    help: 'Key cache lookups by result (hit = served from memory)',
    labelNames: ['result'] as const,
    registers,
    collect() {
      const s = d.cacheStats();
      this.reset();
      this.inc({ result: 'hit' }, s.hits);
      this.inc({ result: 'miss' }, s.misses);
    },
  });
  new Gauge({
    name: 'latchkey_verify_cache_hit_ratio',
    help: 'Share of key cache lookups served from memory since start',
    registers,
    collect() {
      const s = d.cacheStats();
      this.set(s.hits + s.misses > 0 ? s.hits / (s.hits + s.misses) : 1);
    },
  });
  new Gauge({ name: 'latchkey_verify_cache_entries', help: 'Keys held in this node\'s cache', registers, collect() { this.set(d.cacheStats().size); } });
  new Counter({
    name: 'latchkey_verify_signals_dropped_total',
    help: 'Verify signals dropped because the buffer was full (analytics and alerts missed them)',
    registers,
    collect() {
      this.reset();
      this.inc(d.signals.dropped);
    },
  });
  new Counter({
    name: 'latchkey_verify_signal_batches_failed_total',
    help: 'Signal batches a consumer failed on',
    registers,
    collect() {
      this.reset();
      this.inc(d.signals.failedBatches);
    },
  });
  new Gauge({
    name: 'latchkey_redis_rtt_seconds',
    help: 'Round trip of a PING on the command connection, measured at scrape (-1 = unreachable)',
    registers,
    async collect() {
      const t0 = process.hrtime.bigint();
      try {
        await d.redis.ping();
        this.set(Number(process.hrtime.bigint() - t0) / 1e9);
      } catch {
        this.set(-1);
      }
    },
  });
  new Gauge({
    name: 'latchkey_queue_jobs',
    help: 'BullMQ jobs per queue and state (read from Redis at scrape)',
    labelNames: ['queue', 'state'] as const,
    registers,
    async collect() {
      const p = d.redis.pipeline();
      const queues = Object.values(QueueName);
      for (const q of queues) {
        for (const [state, kind] of QUEUE_STATES) {
          const key = `${d.queuePrefix}:${q}:${state}`;
          if (kind === 'list') p.llen(key);
          else p.zcard(key);
        }
      }
      const res = await p.exec().catch(() => null);
      if (!res) return;
      let i = 0;
      for (const q of queues) for (const [state] of QUEUE_STATES) this.set({ queue: q, state }, Number(res[i++]?.[1]) || 0);
    },
  });
  let openCache: { at: number; rows: { _id: string; n: number }[] } | undefined;
  new Gauge({
    name: 'latchkey_alerts_open',
    help: 'Open and acknowledged alerts of every organization, by severity (refreshed at most every 10 s)',
    labelNames: ['severity'] as const,
    registers,
    async collect() {
      if (!openCache || Date.now() - openCache.at > 10_000) {
        // One accumulator per $group: FerretDB computes only the first (MONGODB-PORTABILITY.md).
        const rows = await d.alerts
          .aggregate<{ _id: string; n: number }>([
            { $match: { status: { $in: ['open', 'acknowledged'] } } },
            { $group: { _id: '$severity', n: { $sum: 1 } } },
          ])
          .catch(() => null);
        if (!rows) return;
        openCache = { at: Date.now(), rows };
      }
      this.reset();
      for (const sev of ['info', 'low', 'medium', 'high', 'critical']) this.set({ severity: sev }, openCache.rows.find((r) => r._id === sev)?.n ?? 0);
    },
  });

  return {
    verifications,
    verifyDuration,
    alertsRaised,
    /** SignalBuffer consumer: outcome counts (report-only echoes are not separate verifications). */
    onSignals(batch: readonly VerifySignal[]): void {
      for (const s of batch) if (!s.reportOnly && !isReportEcho(s)) verifications.inc({ code: s.code });
    },
  };
}
export type MonitoringMetrics = ReturnType<typeof registerMonitoringMetrics>;
