import { Schema, type Connection, type Model } from 'mongoose';
import type { Sealed } from '../infra/crypto';

/**
 * Webhook storage. The endpoint's signing secret is kept only sealed (envelope
 * encryption, the endpoint id as AAD); the GraphQL type is a separate class so no
 * sealed field can ever become reachable.
 */
export const DeliveryStatus = {
  /** Waiting for its first attempt of the current series. */
  pending: 'pending',
  /** At least one attempt failed; another is scheduled. */
  retrying: 'retrying',
  succeeded: 'succeeded',
  /** Every attempt of the schedule failed (or the receiver answered 410). */
  dead: 'dead',
  /** Stopped because the endpoint was deleted or disabled, or the URL was refused. */
  cancelled: 'cancelled',
} as const;
export type DeliveryStatus = (typeof DeliveryStatus)[keyof typeof DeliveryStatus];

export interface WebhookEndpointDoc {
  _id: string;
  orgId: string;
  url: string;
  description: string;
  /** Subscribed event types; empty means every event. */
  events: string[];
  enabled: boolean;
  disabledReason?: string | null;
  disabledAt?: Date | null;
  secret: Sealed;
  /** The secret before the last rotation, still signed with until `previousSecretExpiresAt`. */
  previousSecret?: Sealed | null;
  previousSecretExpiresAt?: Date | null;
  secretRotatedAt?: Date | null;
  createdBy?: string | null;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface WebhookDeliveryDoc {
  /** dlv_… — also the `webhook-id` header, stable across retries and replays. */
  _id: string;
  orgId: string;
  endpointId: string;
  /** One event fans out to one delivery per endpoint; (endpointId, eventId) is unique. */
  eventId: string;
  eventType: string;
  /** The exact bytes sent, so every attempt signs the same body. */
  body: string;
  status: DeliveryStatus;
  /** 1 for the first attempt series, +1 per replay. */
  series: number;
  /** Attempts made in the current series. */
  attemptCount: number;
  lastStatusCode?: number | null;
  lastError?: string | null;
  lastAttemptAt?: Date | null;
  nextAttemptAt?: Date | null;
  succeededAt?: Date | null;
  finishedAt?: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface WebhookAttemptDoc {
  /** `${deliveryId}:${series}:${attempt}`: the primary key makes recording exactly-once. */
  _id: string;
  orgId: string;
  deliveryId: string;
  endpointId: string;
  series: number;
  attempt: number;
  at: Date;
  success: boolean;
  statusCode?: number | null;
  latencyMs: number;
  error?: string | null;
  /** The SSRF guard refused to connect: permanent, the series ends. */
  refused: boolean;
  responseSnippet?: string | null;
}

const sealedSchema = new Schema<Sealed>(
  { kekId: { type: String, required: true }, wrappedKey: { type: String, required: true }, ciphertext: { type: String, required: true } },
  { _id: false },
);

const endpointSchema = new Schema<WebhookEndpointDoc>(
  {
    _id: { type: String, required: true },
    orgId: { type: String, required: true },
    url: { type: String, required: true },
    description: { type: String, default: '' },
    events: { type: [String], default: [] },
    enabled: { type: Boolean, default: true },
    disabledReason: { type: String, default: null },
    disabledAt: { type: Date, default: null },
    secret: { type: sealedSchema, required: true },
    previousSecret: { type: sealedSchema, default: null },
    previousSecretExpiresAt: { type: Date, default: null },
    secretRotatedAt: { type: Date, default: null },
    createdBy: { type: String, default: null },
    version: { type: Number, default: 1 },
  },
  { collection: 'webhook_endpoints', timestamps: true, versionKey: false },
);
endpointSchema.index({ orgId: 1, _id: 1 });

const deliverySchema = new Schema<WebhookDeliveryDoc>(
  {
    _id: { type: String, required: true },
    orgId: { type: String, required: true },
    endpointId: { type: String, required: true },
    eventId: { type: String, required: true },
    eventType: { type: String, required: true },
    body: { type: String, required: true },
    status: { type: String, required: true, enum: Object.values(DeliveryStatus) },
    series: { type: Number, default: 1 },
    attemptCount: { type: Number, default: 0 },
    lastStatusCode: { type: Number, default: null },
    lastError: { type: String, default: null },
    lastAttemptAt: { type: Date, default: null },
    nextAttemptAt: { type: Date, default: null },
    succeededAt: { type: Date, default: null },
    finishedAt: { type: Date, default: null },
  },
  { collection: 'webhook_deliveries', timestamps: true, versionKey: false },
);
// Exactly one delivery per (endpoint, event), even when a producer emits twice.
deliverySchema.index({ endpointId: 1, eventId: 1 }, { unique: true });
deliverySchema.index({ orgId: 1, _id: -1 });
deliverySchema.index({ orgId: 1, endpointId: 1, _id: -1 });
deliverySchema.index({ status: 1, updatedAt: 1 });

const attemptSchema = new Schema<WebhookAttemptDoc>(
  {
    _id: { type: String, required: true },
    orgId: { type: String, required: true },
    deliveryId: { type: String, required: true },
    endpointId: { type: String, required: true },
    series: { type: Number, required: true },
    attempt: { type: Number, required: true },
    at: { type: Date, required: true },
    success: { type: Boolean, required: true },
    statusCode: { type: Number, default: null },
    latencyMs: { type: Number, required: true },
    error: { type: String, default: null },
    refused: { type: Boolean, default: false },
    responseSnippet: { type: String, default: null },
  },
  { collection: 'webhook_attempts', versionKey: false },
);
attemptSchema.index({ deliveryId: 1, series: 1, attempt: 1 });

export function webhookEndpointModel(conn: Connection): Model<WebhookEndpointDoc> {
  return (conn.models.WebhookEndpoint as Model<WebhookEndpointDoc> | undefined) ?? conn.model<WebhookEndpointDoc>('WebhookEndpoint', endpointSchema);
}

export function webhookDeliveryModel(conn: Connection): Model<WebhookDeliveryDoc> {
  return (conn.models.WebhookDelivery as Model<WebhookDeliveryDoc> | undefined) ?? conn.model<WebhookDeliveryDoc>('WebhookDelivery', deliverySchema);
}

export function webhookAttemptModel(conn: Connection): Model<WebhookAttemptDoc> {
  return (conn.models.WebhookAttempt as Model<WebhookAttemptDoc> | undefined) ?? conn.model<WebhookAttemptDoc>('WebhookAttempt', attemptSchema);
}

export function attemptId(deliveryId: string, series: number, attempt: number): string {
  return `${deliveryId}:${series}:${attempt}`;
}
