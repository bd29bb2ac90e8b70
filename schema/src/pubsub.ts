import { z } from 'zod';

/**
 * Redis pub/sub topics. Per-organization channels carry realtime events; the key
 * channel carries cache invalidations for every API node.
 */
export const Topic = {
  keyChanged: 'key-changed',
  alertRaised: (orgId: string) => `org:${orgId}:alert`,
  rateLimitEvent: (orgId: string) => `org:${orgId}:ratelimit`,
  usageTick: (orgId: string) => `org:${orgId}:usage`,
  keyEvent: (orgId: string) => `org:${orgId}:key`,
  sessionRevoked: 'session-revoked',
} as const;

export const KeyChangedMessage = z.object({
  orgId: z.string(),
  keyId: z.string().optional(),
  keyHash: z.string().optional(),
  /** Set when a whole org's policy changed: drop every cached key of that org. */
  allOfOrg: z.boolean().optional(),
  at: z.number(),
});
export type KeyChangedMessage = z.infer<typeof KeyChangedMessage>;

/** `Topic.alertRaised(orgId)`: a new alert, or an existing one escalated. */
export interface AlertRaisedMessage {
  orgId: string;
  alertId: string;
  type: string;
  severity: string;
  keyId: string | null;
  ownerId: string | null;
  ip: string | null;
  count: number;
  firstSeen: number;
  lastSeen: number;
  escalated: boolean;
  summary: string;
  /** Epoch ms when the alert was published (subscriber latency measurements). */
  at: number;
}

/** `Topic.rateLimitEvent(orgId)`: at most one per key per second per code. */
export interface RateLimitEventMessage {
  orgId: string;
  keyId: string;
  code: 'RATE_LIMITED' | 'QUOTA_EXCEEDED' | 'CONCURRENCY_LIMITED';
  /** Denials of this kind the publishing node saw since its previous event for the key. */
  count: number;
  at: number;
}

/** `Topic.usageTick(orgId)`: the organization's traffic in one tick interval. */
export interface UsageTickMessage {
  orgId: string;
  /** Start of the interval, epoch ms. */
  from: number;
  intervalMs: number;
  requests: number;
  valid: number;
  denied: number;
  rateLimited: number;
  at: number;
}
