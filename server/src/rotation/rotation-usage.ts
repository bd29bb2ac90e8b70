import type { Connection } from 'mongoose';
import type { Config } from '../infra/config';
import type { Logger } from '../infra/logger';
import type { RoleService } from '../roles/role.service';
import type { AlertService } from '../alerts/alert.service';
import { apiKeyModel, type ApiKeyDoc } from '../keys/key.model';
import type { NotificationService } from '../notifications/notification.service';
import { NotificationKind } from '../notifications/notification.model';
import { keyRecipients } from '../notifications/notification-recipients';
import { rotationMarkerModel, stillUsedMarkerIdOf } from './rotation.model';

/** What is known about an old key still in use near the end of its overlap. */
export interface StillUsedReport {
  orgId: string;
  keyId: string;
  successorId: string | null;
  name: string;
  graceEndsAt: Date;
  lastUsedAt: Date;
  /** Client addresses seen recently in the request log (empty when none are logged). */
  clients: string[];
  message: string;
}

export interface RotationUsageDeps {
  conn: Connection;
  config: Config;
  logger: Logger;
  roles: Pick<RoleService, 'expandScopes'>;
  notifications: Pick<NotificationService, 'notify'>;
  /** The alerts module, when present, raises ROTATED_KEY_GRACE_ENDING as well. */
  alerts?: Pick<AlertService, 'raise'>;
}

const MAX_CLIENTS = 10;

/**
 * Near the end of a rotation overlap (ROTATION_STILL_USED_LEAD_SECONDS), an old key
 * that verified within that same span is still in someone's configuration: its
 * owner hears so, with the client addresses the request log saw, once per overlap.
 * `lastUsedAt` comes from the verify path's buffered signals (verify/last-used.ts).
 */
export async function reportStillUsed(deps: RotationUsageDeps, now = new Date()): Promise<StillUsedReport[]> {
  const leadMs = deps.config.ROTATION_STILL_USED_LEAD_SECONDS * 1000;
  const since = new Date(now.getTime() - leadMs);
  const candidates = await apiKeyModel(deps.conn)
    .find({ status: 'rotating', graceEndsAt: { $gt: now, $lte: new Date(now.getTime() + leadMs) }, lastUsedAt: { $gte: since } })
    .limit(500)
    .lean<ApiKeyDoc[]>()
    .exec();
  const reports: StillUsedReport[] = [];
  for (const k of candidates) {
    const graceEndsAt = k.graceEndsAt as Date;
    try {
      await rotationMarkerModel(deps.conn).create({ _id: stillUsedMarkerIdOf(k._id, graceEndsAt), orgId: k.orgId, keyId: k._id, userId: null, at: now });
    } catch (e) {
      if ((e as { code?: number }).code === 11000) continue; // already reported for this overlap
      throw e;
    }
    const clients = await recentClients(deps, k, since);
    const who = clients.length > 0 ? ` Recent clients: ${clients.join(', ')}.` : '';
    const report: StillUsedReport = {
      orgId: k.orgId,
      keyId: k._id,
      successorId: k.rotatedToId,
      name: k.name,
      graceEndsAt,
      lastUsedAt: k.lastUsedAt as Date,
      clients,
      message:
        `The previous key ${k._id} of “${k.name}” was still used at ${(k.lastUsedAt as Date).toISOString()} ` +
        `and stops working at ${graceEndsAt.toISOString()}.${who} Switch those clients to ${k.rotatedToId ?? 'its successor'}.`,
    };
    try {
      await deps.notifications.notify({
        orgId: k.orgId,
        userIds: await keyRecipients(deps, k),
        kind: NotificationKind.rotatedKeyStillUsed,
        keyId: k._id,
        title: `Old key of “${k.name}” is still in use`,
        body: report.message,
        dedupeKey: stillUsedMarkerIdOf(k._id, graceEndsAt),
      });
    } catch (err) {
      // Not reported after all: let the next run try again (the notification dedupes).
      await rotationMarkerModel(deps.conn).deleteOne({ _id: stillUsedMarkerIdOf(k._id, graceEndsAt) }).exec();
      deps.logger.warn({ err, keyId: k._id }, 'still-used notification failed; retried on the next run');
      continue;
    }
    await deps.alerts?.raise(graceEndingAlert(report)).catch((err: unknown) => deps.logger.warn({ err, keyId: k._id }, 'still-used alert not raised'));
    reports.push(report);
  }
  return reports;
}

/** The alert a still-used report raises: one per key, the clients and the successor in its details. */
function graceEndingAlert(r: StillUsedReport): Parameters<AlertService['raise']>[0] {
  return {
    orgId: r.orgId, type: 'ROTATED_KEY_GRACE_ENDING', subject: r.keyId, count: 1, at: r.lastUsedAt.getTime(), summary: r.message, keyId: r.keyId,
    details: { successorId: r.successorId ?? '', graceEndsAt: r.graceEndsAt.toISOString(), clients: r.clients.join(', ') },
  };
}

/** Client IPs of the key's recent requests, if the request log has them. */
async function recentClients(deps: RotationUsageDeps, k: ApiKeyDoc, since: Date): Promise<string[]> {
  try {
    const ips = await deps.conn.collection('request_logs').distinct('ip', { orgId: k.orgId, keyId: k._id, at: { $gte: since } });
    return ips.filter((ip): ip is string => typeof ip === 'string' && ip.length > 0).slice(0, MAX_CLIENTS);
  } catch (err) {
    deps.logger.debug({ err }, 'request log not available for still-used report');
    return [];
  }
}
