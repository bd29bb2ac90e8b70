import { truncateIp, type IpTruncation } from '../privacy/ip-truncation';
import { z } from 'zod';
import type { Redis } from 'ioredis';
import type { Connection } from 'mongoose';
import type { Logger } from '../infra/logger';
import { AppError } from '../infra/app-error';
import type { RateLimiter } from '../ratelimit/ratelimit.service';
import type { VerifyService } from '../verify/verify.service';
import type { GeoIp } from '../geo/geo.service';
import type { KeyDirectory } from './key-directory';
import type { UsageKeys } from './usage-keys';
import type { UsageFact, UsageRecorder } from './usage-recorder';
import { requestLogModel, type RequestLogDoc } from './usage.model';

export const MAX_REPORTS_PER_BATCH = 1_000;
/** Reports older than this are refused: their minute counters may be gone (26 h TTL). */
export const MAX_REPORT_AGE_MS = 24 * 3_600_000;
const MAX_FUTURE_MS = 5 * 60_000;
/** Report ids are remembered this long; a retry within it is answered as a duplicate. */
const REPORT_ID_TTL_SECONDS = 48 * 3600;

const count = z.number().int('must be an integer').min(0, 'must be ≥ 0').max(1e13, 'too large');
const ReportSchema = z
  .object({
    id: z.string().min(1).max(128).regex(/^[A-Za-z0-9_.:-]+$/, 'letters, digits, _ . : - only'),
    keyId: z.string().min(1).max(100).optional(),
    key: z.string().min(1).max(256).optional(),
    at: z.union([z.iso.datetime({ offset: true }), z.number().int().positive()]),
    status: z.number().int().min(100, 'must be an HTTP status').max(599, 'must be an HTTP status'),
    latencyMs: z.number().min(0, 'must be ≥ 0').max(3_600_000, 'at most one hour'),
    bytesIn: count.optional(),
    bytesOut: count.optional(),
    costs: z.record(z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'dimension names: letters, digits, _ . -'), count).optional(),
    leaseId: z.string().min(1).max(100).optional(),
    ip: z.union([z.ipv4(), z.ipv6()]).optional(),
    resource: z.string().min(1).max(100).optional(),
    action: z.string().min(1).max(100).optional(),
    code: z.string().regex(/^[A-Z_]{2,40}$/).optional(),
  })
  .strict()
  .refine((r) => (r.keyId === undefined) !== (r.key === undefined), { message: 'give exactly one of keyId or key', path: ['keyId'] });

const BodySchema = z
  .object({
    reports: z
      .array(ReportSchema)
      .min(1, 'at least one report')
      .max(MAX_REPORTS_PER_BATCH, `at most ${MAX_REPORTS_PER_BATCH} reports per batch`),
  })
  .strict();
type Report = z.infer<typeof ReportSchema>;

export interface IngestResult {
  accepted: number;
  duplicates: number;
  rejected: { index: number; id: string; code: string; message: string }[];
  leasesReleased: number;
}

export interface IngestDeps {
  conn: Connection;
  redis: Redis;
  logger: Logger;
  keys: UsageKeys;
  recorder: UsageRecorder;
  directory: KeyDirectory;
  limiter: RateLimiter;
  verify: VerifyService;
  geo: GeoIp;
  /** How much of the client IP request logs keep (docs/PERSONAL-DATA.md). */
  ipTruncation: IpTruncation;
  /** Hands accepted reports to the verify signal buffer (the adaptive limiter reads their status). */
  echo?(facts: readonly UsageFact[]): void;
}

/** Validation problems as AppError fields: 400 with the path of every offending field. */
export function parseUsageBody(body: unknown): Report[] {
  const r = BodySchema.safeParse(body);
  if (r.success) return r.data.reports;
  const fields = r.error.issues.slice(0, 50).map((i) => ({ path: i.path.map((p) => (typeof p === 'symbol' ? String(p) : p)), message: i.message }));
  throw AppError.badInput(`invalid usage reports: ${fields[0]?.path.join('.')} ${fields[0]?.message}`, fields);
}

/**
 * `POST /v1/usage` behind the route: resolve each report's key inside the caller's
 * organization, drop reports already seen (report id, SET NX), count the rest into
 * the usage counters, store their request logs, free their concurrency leases and
 * charge their after-the-fact dimension costs.
 */
export async function ingestReports(deps: IngestDeps, orgId: string, reports: Report[], now = Date.now()): Promise<IngestResult> {
  const result: IngestResult = { accepted: 0, duplicates: 0, rejected: [], leasesReleased: 0 };
  const reject = (index: number, r: Report, code: string, message: string) => result.rejected.push({ index, id: r.id, code, message });

  const resolved: { index: number; r: Report; keyId: string; at: number }[] = [];
  const byId = await deps.directory.get(reports.flatMap((r) => (r.keyId ? [r.keyId] : [])));
  for (const [index, r] of reports.entries()) {
    const at = typeof r.at === 'number' ? r.at : Date.parse(r.at);
    if (at < now - MAX_REPORT_AGE_MS || at > now + MAX_FUTURE_MS) {
      reject(index, r, 'BAD_USER_INPUT', 'at must be within the last 24 hours');
      continue;
    }
    let keyId: string | undefined;
    if (r.keyId) keyId = byId.get(r.keyId)?.orgId === orgId ? r.keyId : undefined;
    else if (r.key) {
      const k = await deps.verify.cache.get(deps.verify.hashOf(r.key));
      keyId = k?.orgId === orgId ? k.keyId : undefined;
    }
    // Keys of other organizations are indistinguishable from unknown ones.
    if (!keyId) reject(index, r, 'NOT_FOUND', 'unknown key');
    else resolved.push({ index, r, keyId, at });
  }

  // Exactly-once per report id and organization: the first SET NX wins, on any node.
  const claims = deps.redis.pipeline();
  for (const x of resolved) claims.set(deps.keys.reportId(orgId, x.r.id), '1', 'EX', REPORT_ID_TTL_SECONDS, 'NX');
  const claimed = (await claims.exec()) ?? [];
  const fresh = resolved.filter((_, i) => claimed[i]?.[1] === 'OK');
  result.duplicates = resolved.length - fresh.length;
  if (fresh.length === 0) return result;

  const facts: UsageFact[] = fresh.map(({ r, keyId, at }) => ({
    orgId,
    keyId,
    at,
    status: r.status,
    latencyMs: r.latencyMs,
    bytesIn: r.bytesIn ?? 0,
    bytesOut: r.bytesOut ?? 0,
    costs: r.costs,
  }));
  try {
    await deps.recorder.recordReports(facts);
    await storeLogs(deps, orgId, fresh);
  } catch (err) {
    // Give the ids back so the caller's retry is counted instead of called a duplicate.
    await deps.redis.del(...fresh.map((x) => deps.keys.reportId(orgId, x.r.id))).catch(() => undefined);
    throw err;
  }
  result.accepted = fresh.length;
  deps.echo?.(facts);
  result.leasesReleased = await releaseLeases(deps, fresh);
  await chargeCosts(deps, fresh);
  return result;
}

async function storeLogs(deps: IngestDeps, orgId: string, fresh: { r: Report; keyId: string; at: number }[]): Promise<void> {
  const docs: RequestLogDoc[] = fresh.map(({ r, keyId, at }) => ({
    _id: `${orgId}:${r.id}`,
    orgId,
    keyId,
    at: new Date(at),
    code: r.code ?? null,
    status: r.status,
    latencyMs: r.latencyMs,
    bytesIn: r.bytesIn ?? 0,
    bytesOut: r.bytesOut ?? 0,
    // The country comes from the full address; only the truncated one is stored.
    ip: truncateIp(r.ip, deps.ipTruncation),
    country: deps.geo.countryOf(r.ip) ?? null,
    resource: r.resource ?? null,
    action: r.action ?? null,
  }));
  try {
    await requestLogModel(deps.conn).insertMany(docs, { ordered: false });
  } catch (err) {
    // A duplicate _id means a previous attempt stored it already (ids outlived Redis).
    if (!isOnlyDuplicates(err)) throw err;
  }
}

function isOnlyDuplicates(err: unknown): boolean {
  const e = err as { code?: number; writeErrors?: { code?: number; err?: { code?: number } }[] };
  if (e?.code === 11000 && !e.writeErrors) return true;
  return Array.isArray(e?.writeErrors) && e.writeErrors.length > 0 && e.writeErrors.every((w) => (w.code ?? w.err?.code) === 11000);
}

async function releaseLeases(deps: IngestDeps, fresh: { r: Report; keyId: string }[]): Promise<number> {
  let n = 0;
  for (const { r, keyId } of fresh) {
    if (!r.leaseId) continue;
    if (await deps.limiter.release(keyId, r.leaseId).catch(() => false)) n++;
  }
  return n;
}

/** One consume per key with the batch's summed costs; a Redis problem must not lose the reports already counted. */
async function chargeCosts(deps: IngestDeps, fresh: { r: Report; keyId: string }[]): Promise<void> {
  const perKey = new Map<string, Record<string, number>>();
  for (const { r, keyId } of fresh) {
    if (!r.costs) continue;
    const acc = perKey.get(keyId) ?? {};
    for (const [d, c] of Object.entries(r.costs)) acc[d] = (acc[d] ?? 0) + c;
    perKey.set(keyId, acc);
  }
  if (perKey.size === 0) return;
  const infos = await deps.directory.get(perKey.keys());
  for (const [keyId, costs] of perKey) {
    const limits = infos.get(keyId)?.limits;
    if (!limits) continue;
    await deps.limiter.consume(keyId, limits, costs).catch((err: unknown) => deps.logger.warn({ err, keyId }, 'could not charge reported costs'));
  }
}
