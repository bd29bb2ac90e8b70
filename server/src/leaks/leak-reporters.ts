import { createHash, randomBytes } from 'node:crypto';
import type { Connection } from 'mongoose';
import type { Redis } from 'ioredis';
import type { AuditService } from '../audit/audit.service';
import type { AuditMeta } from '../audit/audit-input';
import type { Config } from '../infra/config';
import type { Principal } from '../access/principal';
import { actorOf, requirePlatformAdmin } from '../access/principal';
import { withEntityLock } from '../infra/entity-lock';
import { base62encode } from '../keys/key-format';
import { leakReporterModel, type LeakReporterDoc } from './leak.model';

/**
 * Reporter secrets look nothing like API keys (no `_dev_`/`_prd_` tag), so the key
 * scanner never confuses the two, yet they are recognizable in a leak of their own.
 */
export const REPORTER_SECRET_PREFIX = 'lkrep_';
const SECRET_SHAPE = /^lkrep_[0-9A-Za-z]{43}$/;

export interface LeakReporter {
  id: string;
  scope: 'organization' | 'platform';
  /** null = may act on keys of every organization. */
  orgId: string | null;
}

export function reporterSecretHash(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

export interface ReporterDeps {
  conn: Connection;
  redis: Redis;
  config: Config;
  audit: Pick<AuditService, 'append'>;
}

/** Sets, rotates and checks the secrets leak reporters authenticate with. */
export class LeakReporters {
  constructor(private readonly deps: ReporterDeps) {}

  private get model() {
    return leakReporterModel(this.deps.conn);
  }

  /**
   * A new secret for the caller's organization (or, `platform`, for every organization:
   * platform administrators only). The previous secret stops working at once; the new
   * one is returned here and never again.
   */
  async setSecret(principal: Principal, platform: boolean, meta?: AuditMeta): Promise<{ secret: string; reporter: LeakReporterDoc }> {
    if (platform) requirePlatformAdmin(principal);
    const id = platform ? 'platform' : `org:${principal.orgId}`;
    const secret = REPORTER_SECRET_PREFIX + base62encode(randomBytes(32));
    return withEntityLock(this.deps.redis, this.deps.config.REDIS_PREFIX, `leakrep_${id}`, async () => {
      const current = await this.model.findOne({ _id: id }).lean<LeakReporterDoc>().exec();
      const doc: LeakReporterDoc = {
        _id: id,
        scope: platform ? 'platform' : 'organization',
        orgId: platform ? null : principal.orgId,
        secretHash: reporterSecretHash(secret),
        start: secret.slice(0, REPORTER_SECRET_PREFIX.length + 4),
        createdAt: new Date(),
        createdBy: principal.id,
        version: (current?.version ?? 0) + 1,
      };
      await this.model.replaceOne({ _id: id }, doc, { upsert: true }).exec();
      await this.deps.audit.append({
        orgId: principal.orgId,
        actor: actorOf(principal),
        action: current ? 'leak_reporter.secret_rotated' : 'leak_reporter.secret_set',
        target: { type: 'leak_reporter', id },
        before: current ? { start: current.start, version: current.version } : null,
        after: { scope: doc.scope, start: doc.start, version: doc.version },
        meta,
      });
      return { secret, reporter: doc };
    });
  }

  /** The caller organization's reporter (and the platform one for platform administrators). */
  async describe(principal: Principal): Promise<LeakReporterDoc[]> {
    const ids = [`org:${principal.orgId}`, ...(principal.isPlatformAdmin ? ['platform'] : [])];
    return this.model.find({ _id: { $in: ids } }).sort({ _id: 1 }).lean<LeakReporterDoc[]>().exec();
  }

  /** The reporter a presented secret belongs to, or null (unknown, malformed, replaced). */
  async authenticate(secret: string): Promise<LeakReporter | null> {
    if (!SECRET_SHAPE.test(secret)) return null;
    const doc = await this.model.findOne({ secretHash: reporterSecretHash(secret) }).lean<LeakReporterDoc>().exec();
    return doc ? { id: doc._id, scope: doc.scope, orgId: doc.orgId } : null;
  }
}
