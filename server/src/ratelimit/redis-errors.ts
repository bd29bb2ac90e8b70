/**
 * True when an error came from Redis or from the connection to it (refused, closed,
 * timed out, offline queue disabled, LOADING/BUSY/CLUSTERDOWN replies…): the caller
 * should fall back to `LocalLimiter` under the configured REDIS_DOWN_POLICY. False for
 * programming errors (TypeError and friends), which must surface.
 */
const REDIS_ERROR_NAMES = new Set([
  'RedisError', 'ReplyError', 'AbortError', 'ParserError', 'InterruptError',
  'MaxRetriesPerRequestError', 'ClusterAllFailedError',
]);
const NETWORK_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND',
  'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'NR_CLOSED',
]);
const TRANSPORT_MESSAGES = new RegExp(`^(${[
  'Connection is closed',
  "Stream isn't writeable",
  'Command timed out',
  'Command aborted',
  'Socket timeout',
  'connect ETIMEDOUT',
  'Reached the max retries',
  'None of the startup nodes',
  'Failed to refresh slots cache',
].join('|')})`);

export function isRedisError(e: unknown): boolean {
  if (!(e instanceof Error)) return false;
  if (REDIS_ERROR_NAMES.has(e.name)) return true;
  const code = (e as { code?: unknown }).code;
  if (typeof code === 'string' && NETWORK_CODES.has(code)) return true;
  return TRANSPORT_MESSAGES.test(e.message);
}
