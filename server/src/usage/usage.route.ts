import express, { type Express } from 'express';
import { Scope } from '@latchkey/schema';
import type { VerifyService } from '../verify/verify.service';
import type { MonitoringMetrics } from './monitoring-metrics';
import type { UsageService } from './usage.service';
import { callerKey } from '../verify/caller';

/**
 * POST /v1/usage: services behind Latchkey report what each request did (status,
 * latency, bytes, measured costs) in batches of up to 1,000. 400 with field paths for a
 * malformed batch; otherwise 200 with how many were accepted, duplicates (same report
 * id seen before) and per-report rejections (unknown key, too old).
 */
export function mountUsageRoute(app: Express, services: { verify: VerifyService; usage: UsageService }): void {
  // 1,000 reports of a few hundred bytes each.
  app.post('/v1/usage', express.json({ limit: '1mb' }), async (req, res, next) => {
    try {
      const caller = await callerKey(services.verify, req, res, Scope.keysVerify);
      if (!caller) return;
      res.status(200).json(await services.usage.ingest(caller.orgId, req.body));
    } catch (e) {
      next(e);
    }
  });
}

/**
 * Times POST /v1/keys/verify end to end (`latchkey_verify_duration_seconds`). Mounted
 * before the verify route so the pipeline itself stays untouched.
 */
export function mountVerifyTiming(app: Express, services: { monitoring: MonitoringMetrics }): void {
  app.use('/v1/keys/verify', (_req, res, next) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => services.monitoring.verifyDuration.observe({ status: `${Math.floor(res.statusCode / 100)}xx` }, Number(process.hrtime.bigint() - started) / 1e9));
    next();
  });
}
