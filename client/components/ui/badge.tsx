const TONES: Record<string, string> = {
  active: 'ok', valid: 'ok', approved: 'info', claimed: 'ok', succeeded: 'ok', resolved: 'ok', enabled: 'ok', allowed: 'ok',
  rotating: 'warn', suspended: 'warn', pending_approval: 'warn', pending: 'warn', retrying: 'warn', acknowledged: 'info',
  medium: 'warn', low: 'info', info: 'info', open: 'bad', high: 'bad', critical: 'bad',
  revoked: 'bad', expired: 'muted', rejected: 'bad', claim_expired: 'muted', dead: 'bad', cancelled: 'muted', disabled: 'muted', denied: 'bad',
};

/** A status word with a colour that never carries meaning alone (the text says it). */
export function Badge({ value, label }: { value: string; label?: string }) {
  const key = value.toLowerCase();
  return <span className={`badge badge-${TONES[key] ?? 'neutral'}`}>{label ?? key.replace(/_/g, ' ')}</span>;
}
