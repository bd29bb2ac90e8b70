import type { DeliveryStatus, WebhookAttemptDoc, WebhookDeliveryDoc, WebhookEndpointDoc } from './webhook.model';

/**
 * What services hand to resolvers (and to the audit trail): public fields only. The
 * sealed secrets and the raw documents never leave the webhooks folder.
 */
export interface WebhookEndpointView {
  id: string;
  url: string;
  description: string;
  events: string[];
  enabled: boolean;
  disabledReason: string | null;
  disabledAt: Date | null;
  secretRotatedAt: Date | null;
  previousSecretExpiresAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface WebhookAttemptView {
  series: number;
  attempt: number;
  at: Date;
  success: boolean;
  statusCode: number | null;
  latencyMs: number;
  error: string | null;
  responseSnippet: string | null;
}

export interface WebhookDeliveryView {
  id: string;
  endpointId: string;
  eventId: string;
  eventType: string;
  payload: string;
  status: DeliveryStatus;
  series: number;
  attemptCount: number;
  lastStatusCode: number | null;
  lastError: string | null;
  lastAttemptAt: Date | null;
  nextAttemptAt: Date | null;
  succeededAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  attempts: WebhookAttemptView[];
}

export function endpointView(d: WebhookEndpointDoc): WebhookEndpointView {
  const overlapActive = d.previousSecret && d.previousSecretExpiresAt && d.previousSecretExpiresAt > new Date();
  return {
    id: d._id,
    url: d.url,
    description: d.description ?? '',
    events: [...(d.events ?? [])],
    enabled: d.enabled,
    disabledReason: d.disabledReason ?? null,
    disabledAt: d.disabledAt ?? null,
    secretRotatedAt: d.secretRotatedAt ?? null,
    previousSecretExpiresAt: overlapActive ? (d.previousSecretExpiresAt ?? null) : null,
    createdAt: d.createdAt,
    updatedAt: d.updatedAt,
  };
}

/** For audit before/after: what changed, without timestamps that always differ. */
export function endpointAuditState(v: WebhookEndpointView): Record<string, unknown> {
  return { url: v.url, description: v.description, events: v.events, enabled: v.enabled, disabledReason: v.disabledReason };
}

export function attemptView(a: WebhookAttemptDoc): WebhookAttemptView {
  return {
    series: a.series,
    attempt: a.attempt,
    at: a.at,
    success: a.success,
    statusCode: a.statusCode ?? null,
    latencyMs: a.latencyMs,
    error: a.error ?? null,
    responseSnippet: a.responseSnippet ?? null,
  };
}

export function deliveryView(d: WebhookDeliveryDoc, attempts: WebhookAttemptDoc[] = []): WebhookDeliveryView {
  return {
    id: d._id,
    endpointId: d.endpointId,
    eventId: d.eventId,
    eventType: d.eventType,
    payload: d.body,
    status: d.status,
    series: d.series,
    attemptCount: d.attemptCount,
    lastStatusCode: d.lastStatusCode ?? null,
    lastError: d.lastError ?? null,
    lastAttemptAt: d.lastAttemptAt ?? null,
    nextAttemptAt: d.nextAttemptAt ?? null,
    succeededAt: d.succeededAt ?? null,
    createdAt: d.createdAt,
    updatedAt: d.updatedAt,
    attempts: attempts.map(attemptView),
  };
}
