/**
 * Cross-site request guard for everything that changes state (sign-in, server actions,
 * the explorer proxy). Sec-Fetch-Site is preferred because with `Referrer-Policy:
 * no-referrer` browsers send `Origin: null` even for same-origin POSTs. The session
 * cookie is SameSite=Lax as a second line: cross-site POSTs arrive without it.
 */
export function isCrossSite(headers: Headers): boolean {
  const site = headers.get('sec-fetch-site');
  if (site !== null) return site !== 'same-origin' && site !== 'none';
  const origin = headers.get('origin');
  if (origin === null || origin === 'null') return false;
  const host = headers.get('x-forwarded-host') ?? headers.get('host');
  return host === null || URL.parse(origin)?.host !== host;
}

/** Console scripts send it; a custom header makes any cross-origin fetch preflight (and fail). */
export const SCRIPT_HEADER = 'x-latchkey-console';

/**
 * Stricter: only script running on a console page (never a navigation, never another
 * site). Browsers send fetch metadata only to secure origins (https, localhost); on a
 * plain-http deployment the custom header stands in: a navigation cannot carry it and
 * another site's fetch cannot send it without a preflight this origin never answers.
 */
export function isSameOriginScript(headers: Headers): boolean {
  const site = headers.get('sec-fetch-site');
  if (site !== null) return site === 'same-origin' && headers.get('sec-fetch-mode') !== 'navigate';
  return headers.get(SCRIPT_HEADER) === '1' && !isCrossSite(headers);
}
