import type { AlertRaisedMessage } from '@latchkey/schema';
import type { AlertDoc } from './alert.model';

/** What the API, webhooks and the audit trail see of an alert. */
export interface AlertView {
  id: string;
  type: string;
  severity: string;
  status: string;
  title: string;
  summary: string;
  keyId: string | null;
  ownerId: string | null;
  ip: string | null;
  count: number;
  firstSeen: Date;
  lastSeen: Date;
  details: { name: string; value: string }[];
  response: { action: string; at: Date; keyId: string; error: string | null } | null;
  acknowledgedBy: string | null;
  acknowledgedAt: Date | null;
  resolvedBy: string | null;
  resolvedAt: Date | null;
  createdAt: Date;
}

export function alertView(d: AlertDoc): AlertView {
  return {
    id: d._id,
    type: d.type,
    severity: d.severity,
    status: d.status,
    title: d.title,
    summary: d.summary,
    keyId: d.keyId,
    ownerId: d.ownerId,
    ip: d.ip,
    count: d.count,
    firstSeen: d.firstSeen,
    lastSeen: d.lastSeen,
    details: d.details ?? [],
    response: d.response ?? null,
    acknowledgedBy: d.acknowledgedBy,
    acknowledgedAt: d.acknowledgedAt,
    resolvedBy: d.resolvedBy,
    resolvedAt: d.resolvedAt,
    createdAt: d.createdAt,
  };
}

/** JSON-safe body for webhooks and audit snapshots. */
export function alertData(d: AlertDoc): Record<string, unknown> {
  const v = alertView(d);
  return {
    ...v,
    firstSeen: v.firstSeen.toISOString(),
    lastSeen: v.lastSeen.toISOString(),
    createdAt: v.createdAt.toISOString(),
    acknowledgedAt: v.acknowledgedAt?.toISOString() ?? null,
    resolvedAt: v.resolvedAt?.toISOString() ?? null,
    response: v.response ? { ...v.response, at: v.response.at.toISOString() } : null,
  };
}

export function alertMessage(d: AlertDoc, escalated: boolean): AlertRaisedMessage {
  return {
    orgId: d.orgId,
    alertId: d._id,
    type: d.type,
    severity: d.severity,
    keyId: d.keyId,
    ownerId: d.ownerId,
    ip: d.ip,
    count: d.count,
    firstSeen: d.firstSeen.getTime(),
    lastSeen: d.lastSeen.getTime(),
    escalated,
    summary: d.summary,
    at: Date.now(),
  };
}
