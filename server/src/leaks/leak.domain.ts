import type { Connection } from 'mongoose';
import type { Redis } from 'ioredis';
import type { AuditService } from '../audit/audit.service';
import type { Config } from '../infra/config';
import type { Logger } from '../infra/logger';
import type { KeyService } from '../keys/key.service';
import type { OrgPolicyService } from '../orgs/org-policy.service';
import type { RoleService } from '../roles/role.service';
import type { NotificationService } from '../notifications/notification.service';
import type { NotificationKind } from '../notifications/notification.model';
import type { AlertService } from '../alerts/alert.service';
import { AlertType } from '../alerts/alert-rules';
import { keyRecipients } from '../notifications/notification-recipients';
import { leakIncidentModel, leakReporterModel, leakSightingModel } from './leak.model';
import { LeakReporters } from './leak-reporters';
import { LeakResponder } from './leak-response';
import { LeakService } from './leak.service';

/** The notification kind of an exposed key (a plain string in storage and in GraphQL). */
const KEY_LEAKED_NOTIFICATION = 'key_leaked' as NotificationKind;

export interface LeakDomainDeps {
  conn: Connection;
  redis: Redis;
  config: Config;
  logger: Logger;
  audit: AuditService;
  keys: KeyService;
  orgPolicy: OrgPolicyService;
  roles: Pick<RoleService, 'expandScopes'>;
  alerts: Pick<AlertService, 'raise'>;
  notifications: Pick<NotificationService, 'notify'>;
  hashOf(key: string): string;
}

/** Builds `services.leaks`: reporters, the per-key responder and the report handler. */
export function createLeakService(d: LeakDomainDeps): LeakService {
  // Registered now so boot's ensureIndexes() creates the unique indexes.
  for (const register of [leakReporterModel, leakSightingModel, leakIncidentModel]) register(d.conn);
  const responder = new LeakResponder({
    conn: d.conn,
    redis: d.redis,
    config: d.config,
    logger: d.logger,
    audit: d.audit,
    keys: d.keys,
    orgPolicy: d.orgPolicy,
    raiseAlert: async (a) => {
      const alert = await d.alerts.raise({
        orgId: a.orgId,
        type: AlertType.KEY_LEAKED,
        subject: a.keyId,
        count: 1,
        at: Date.now(),
        summary: a.summary,
        keyId: a.keyId,
        ownerId: a.ownerId,
        details: a.details,
        severity: 'critical',
      });
      return alert?._id ?? null;
    },
    notify: async (n) => {
      const userIds = await keyRecipients({ conn: d.conn, roles: d.roles }, { orgId: n.orgId, ownerId: n.ownerId });
      if (userIds.length === 0) return;
      await d.notifications.notify({ orgId: n.orgId, userIds, kind: KEY_LEAKED_NOTIFICATION, keyId: n.keyId, title: n.title, body: n.body, dedupeKey: n.dedupeKey });
    },
  });
  const reporters = new LeakReporters({ conn: d.conn, redis: d.redis, config: d.config, audit: d.audit });
  return new LeakService({ conn: d.conn, logger: d.logger, reporters, responder, hashOf: (k) => d.hashOf(k) });
}
