import type { Connection } from 'mongoose';
import type { AuditMeta } from '../audit/audit-input';
import type { Principal } from '../access/principal';
import type { Logger } from '../infra/logger';
import { isWellFormedKey } from '../keys/key-format';
import type { ApiKeyDoc } from '../keys/key.model';
import { findKeyByHash } from '../keys/key-hash-index';
import { DEFAULT_TOKEN_TYPE, type LeakItem, type LeakLabel } from './leak-report';
import { LeakReporters, type LeakReporter } from './leak-reporters';
import { LeakResponder, type LeakOutcome } from './leak-response';
import type { LeakReporterDoc } from './leak.model';

export interface LeakServiceDeps {
  conn: Connection;
  logger: Logger;
  reporters: LeakReporters;
  responder: LeakResponder;
  /** HMAC of a key as stored (the verify service's hashOf: same pepper, same function). */
  hashOf(key: string): string;
}

export interface LeakReportSummary {
  labels: LeakLabel[];
  acted: number;
  repeated: number;
}

/**
 * Leaked-key reports (POST /v1/leaks, docs/SECURITY-OPERATIONS.md). Each token is
 * checked for our format and checksum before anything is looked up — look-alikes and
 * random strings cost no query and are labelled false positives — then matched by hash
 * in one query per batch. Keys outside the reporter's organization answer like unknown
 * ones (a reporter learns nothing about other tenants), except for the platform reporter.
 */
export class LeakService {
  constructor(private readonly deps: LeakServiceDeps) {}

  get reporters(): LeakReporters {
    return this.deps.reporters;
  }

  authenticateReporter(secret: string): Promise<LeakReporter | null> {
    return this.deps.reporters.authenticate(secret);
  }

  setReporterSecret(principal: Principal, platform: boolean, meta?: AuditMeta): Promise<{ secret: string; reporter: LeakReporterDoc }> {
    return this.deps.reporters.setSecret(principal, platform, meta);
  }

  describeReporters(principal: Principal): Promise<LeakReporterDoc[]> {
    return this.deps.reporters.describe(principal);
  }

  async handleReport(reporter: LeakReporter, items: readonly LeakItem[], meta: AuditMeta): Promise<LeakReportSummary> {
    const hashes = new Map<string, string>();
    for (const i of items) if (isWellFormedKey(i.token) && !hashes.has(i.token)) hashes.set(i.token, this.deps.hashOf(i.token));
    const byHash = new Map<string, Pick<ApiKeyDoc, '_id' | 'orgId' | 'hash'>>();
    // Through the hash index, like the verify path (point reads, never a scan).
    const found = await Promise.all([...new Set(hashes.values())].map((h) => findKeyByHash(this.deps.conn, h)));
    for (const k of found) if (k && (reporter.orgId === null || k.orgId === reporter.orgId)) byHash.set(k.hash, { _id: k._id, orgId: k.orgId, hash: k.hash });
    const summary: LeakReportSummary = { labels: [], acted: 0, repeated: 0 };
    for (const item of items) {
      const hash = hashes.get(item.token);
      const key = hash === undefined ? undefined : byHash.get(hash);
      summary.labels.push({ token_raw: item.token, token_type: item.type ?? DEFAULT_TOKEN_TYPE, label: key ? 'true_positive' : 'false_positive' });
      if (!key) continue;
      // One at a time: a batch rarely holds more than a few live keys, and each response
      // takes locks and appends to the audit chain of the key's organization.
      const outcome: LeakOutcome = await this.deps.responder.respond(key, item, reporter, meta);
      if (outcome === 'acted') summary.acted += 1;
      if (outcome === 'repeated') summary.repeated += 1;
    }
    const matched = summary.labels.filter((l) => l.label === 'true_positive').length;
    this.deps.logger.info({ reporter: reporter.id, items: items.length, matched, acted: summary.acted }, 'leak report handled');
    return summary;
  }
}
