/** Every id carries a prefix so a stray id in a log says what it is. */
export const IdPrefix = {
  org: 'org',
  user: 'usr',
  key: 'key',
  request: 'req',
  application: 'app',
  role: 'role',
  alert: 'alr',
  webhook: 'whk',
  delivery: 'dlv',
  event: 'evt',
  session: 'ses',
  notification: 'ntf',
  archive: 'arc',
} as const;
export type IdPrefix = (typeof IdPrefix)[keyof typeof IdPrefix];

/** Session tokens and API keys use distinct prefixes so a leaked value is identifiable. */
export const SESSION_TOKEN_PREFIX = 'lks_';
export const WEBHOOK_SECRET_PREFIX = 'whsec_';
