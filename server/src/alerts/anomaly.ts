import type { Connection } from 'mongoose';
import type { Redis } from 'ioredis';
import { LuaScript } from '../infra/lua-script';
import { MINUTE_MS } from '../usage/usage-buckets';
import { usageModel, type UsageRollupDoc } from '../usage/usage.model';
import type { KeyDirectory } from '../usage/key-directory';
import { DETECTION } from './alert-rules';
import type { AlertRaiser } from './alert-raiser';

const EWMA = new LuaScript('ewma-1.lua', __dirname);
const STATE_TTL_SECONDS = 30 * 86_400;

export interface VolumeVerdict {
  folded: boolean;
  anomalous: boolean;
  mean: number;
  stddev: number;
  samples: number;
}

/**
 * Unusual volume against each key's own baseline: an EWMA of its requests per minute
 * (with variance), updated once per closed minute from the `usage_minute` rollups by
 * the anomaly job. A minute is unusual when it has at least a minimum volume, sits
 * `volumeSigmas` deviations above the mean and is `volumeMinRatio` × the mean, after a
 * warm-up of `ewmaWarmupMinutes` samples. Minutes without traffic decay the baseline.
 */
export class AnomalyScanner {
  constructor(
    private readonly deps: { conn: Connection; redis: Redis; prefix: string; alerts: AlertRaiser; directory: KeyDirectory },
  ) {}

  /** Scans one closed minute (default: two minutes ago, so the usage fold has run). */
  async scan(minute = Math.floor(Date.now() / MINUTE_MS) - 2): Promise<{ keys: number; alerts: number }> {
    const rows = await usageModel(this.deps.conn, 'MINUTE')
      .find({ bucketStart: new Date(minute * MINUTE_MS) }, { orgId: 1, keyId: 1, requests: 1 })
      .lean<Pick<UsageRollupDoc, 'orgId' | 'keyId' | 'requests'>[]>()
      .exec();
    let alerts = 0;
    for (const r of rows) {
      const v = await this.observe(r.keyId, minute, r.requests);
      if (!v.anomalous) continue;
      const info = await this.deps.directory.one(r.keyId);
      const ratio = v.mean > 0 ? r.requests / v.mean : Infinity;
      await this.deps.alerts.raise({
        orgId: r.orgId,
        type: 'UNUSUAL_VOLUME',
        subject: r.keyId,
        count: 1,
        at: (minute + 1) * MINUTE_MS - 1,
        keyId: r.keyId,
        ownerId: info?.ownerId ?? null,
        summary: `key ${info?.name ?? r.keyId} made ${r.requests} requests in a minute; its baseline is ${v.mean.toFixed(1)} ± ${v.stddev.toFixed(1)}`,
        details: { requests: r.requests, baselineMean: v.mean.toFixed(2), baselineStddev: v.stddev.toFixed(2), ratio: Number.isFinite(ratio) ? ratio.toFixed(1) : 'inf' },
        severity: ratio >= DETECTION.volumeCriticalRatio ? 'critical' : undefined,
      });
      alerts++;
    }
    return { keys: rows.length, alerts };
  }

  /** Folds one minute into the key's baseline and judges it against the baseline before it. */
  async observe(keyId: string, minute: number, requests: number): Promise<VolumeVerdict> {
    const stateKey = `${this.deps.prefix}:ewma:{${keyId}}`;
    const reply = await EWMA.run(this.deps.redis, [stateKey], [minute, requests, DETECTION.ewmaAlpha, STATE_TTL_SECONDS]);
    const [folded, m, sd, n] = reply as [number, string, string, string];
    const mean = Number(m) || 0;
    const stddev = Number(sd) || 0;
    const samples = Number(n) || 0;
    const anomalous =
      folded === 1 &&
      samples >= DETECTION.ewmaWarmupMinutes &&
      requests >= DETECTION.volumeMinimumPerMinute &&
      requests > mean + DETECTION.volumeSigmas * stddev &&
      requests >= DETECTION.volumeMinRatio * mean;
    return { folded: folded === 1, anomalous, mean, stddev, samples };
  }
}
