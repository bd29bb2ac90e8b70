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
