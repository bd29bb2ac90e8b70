import type { AuditSink } from '../audit/audit-input';
import type { Logger } from '../infra/logger';

/**
 * Used only while no audit service is registered (tests of one domain, or a build
 * where the audit trail has not landed yet): the event is logged so it is not lost
 * silently.
 */
export function loggingAuditSink(logger: Logger): AuditSink {
  return {
    async append(input) {
      logger.info({ audit: { orgId: input.orgId, action: input.action, actor: input.actor, target: input.target } }, 'audit event (no audit service registered)');
    },
  };
}
