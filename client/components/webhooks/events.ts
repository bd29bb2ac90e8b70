/**
 * Event types named in docs/WEBHOOKS.md. The schema types `events` as plain strings,
 * so this list only feeds the checkboxes; the API validates what is sent.
 */
export const WEBHOOK_EVENT_TYPES = [
  'key.requested', 'key.approved', 'key.rejected', 'key.created', 'key.claimed', 'key.updated',
  'key.rotated', 'key.revoked', 'key.suspended', 'key.expiring', 'key.expired', 'alert.raised',
  'user.created', 'application.created', 'webhook.test',
] as const;
