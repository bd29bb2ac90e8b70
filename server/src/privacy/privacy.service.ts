import type { AuditService } from '../audit/audit.service';
import type { AuditMeta } from '../audit/audit-input';
import type { Principal } from '../access/principal';
import { actorOf } from '../access/principal';
import { AppError } from '../infra/app-error';
import { collectPersonalData, type PersonalDataExport } from './personal-data';
import type { UserErasure, UserErasureResult } from './user-erasure';
import type { Connection } from 'mongoose';

/**
 * Data-protection operations on people (docs/PERSONAL-DATA.md): export of what the
 * platform holds about a user, and erasure that leaves the audit chain verifiable.
 * Every export and erasure is itself audited.
 */
export class PrivacyService {
  constructor(private readonly deps: { conn: Connection; audit: Pick<AuditService, 'append'>; erasure: UserErasure }) {}

  /** The signed-in person's own data; API keys cannot ask (they are not the person). */
  exportMine(principal: Principal, meta?: AuditMeta): Promise<PersonalDataExport> {
    if (principal.kind !== 'user') throw AppError.forbidden('exportMyData needs a signed-in user session');
    return this.export(principal, principal.id, meta);
  }

  /** Any user of the caller's organization (resolver requires users:admin or organization:admin). */
  exportUser(principal: Principal, userId: string, meta?: AuditMeta): Promise<PersonalDataExport> {
    return this.export(principal, userId, meta);
  }

  eraseUser(principal: Principal, userId: string, meta?: AuditMeta): Promise<UserErasureResult> {
    return this.deps.erasure.erase(principal, userId, meta);
  }

  private async export(principal: Principal, userId: string, meta?: AuditMeta): Promise<PersonalDataExport> {
    if (typeof userId !== 'string' || !/^usr_[a-z0-9]{1,40}$/.test(userId)) throw AppError.badInput('invalid user id', [{ path: ['userId'], message: 'must be a usr_ id' }]);
    const data = await collectPersonalData(this.deps.conn, principal.orgId, userId);
    await this.deps.audit.append({
      orgId: principal.orgId,
      actor: actorOf(principal),
      action: 'user.data_exported',
      target: { type: 'user', id: userId },
      before: null,
      after: { sources: Object.keys(data.data) },
      meta,
    });
    return data;
  }
}
