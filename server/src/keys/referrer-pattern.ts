/**
 * The syntax of a key's referrer rules: `[scheme://][*.]host[:port][/path[*]]`. Key
 * configuration validates with it (keys/key-config.ts) and the verify hot path compiles
 * and matches with it (verify/restrictions.ts); neither builds a RegExp from a pattern.
 */

export interface ReferrerPattern {
  scheme?: string; // undefined = any scheme
  host: string; // lowercase, without the `*.`
  subdomains: boolean; // `*.host`: any subdomain, not the host itself
  port?: string; // undefined = any port
  path?: string; // undefined = any path
  pathIsPrefix: boolean; // the pattern's path ended in `*`
}

export type UrlParts = { scheme?: string; host: string; port?: string; path: string };

const HOST_CHAR = /^[a-z0-9.-]+$/;

/**
 * Splits `[scheme://]host[:port][/path]`. Browsers send referrers as serialized URLs, so
 * anything unusual (userinfo, backslashes, non-ASCII, IPv6 literals) is refused rather
 * than guessed at: a refused referrer fails closed.
 */
export function splitUrl(raw: string, allowWildcards: boolean): UrlParts | null {
  if (raw.length === 0 || raw.length > 2048 || raw.includes('@') || raw.includes('\\')) return null;
  let rest = raw;
  let scheme: string | undefined;
  const sep = rest.indexOf('://');
  if (sep >= 0) {
    scheme = rest.slice(0, sep).toLowerCase();
    if (!/^[a-z][a-z0-9+.-]{0,31}$/.test(scheme)) return null;
    rest = rest.slice(sep + 3);
  }
  const hostEnd = rest.search(/[/?#]|$/);
  const pathEnd = rest.search(/[?#]|$/); // never before hostEnd: the host stops at '?'/'#' too
  let host = rest.slice(0, hostEnd).toLowerCase();
  const path = rest.slice(hostEnd, pathEnd);
  let port: string | undefined;
  const colon = host.lastIndexOf(':');
  if (colon >= 0) {
    port = host.slice(colon + 1);
    host = host.slice(0, colon);
    if (!/^[0-9]{1,5}$/.test(port) || Number(port) > 65535) return null;
  }
  // Browsers omit default ports; so do we, so `https://x:443` and `https://x` agree.
  if ((scheme === 'https' && port === '443') || (scheme === 'http' && port === '80')) port = undefined;
  if (host.endsWith('.')) host = host.slice(0, -1);
  const bare = allowWildcards && host.startsWith('*.') ? host.slice(2) : host;
  if (!HOST_CHAR.test(bare) || bare.startsWith('.') || bare.includes('..')) return null;
  return { scheme, host, port, path: path || '/' };
}

/**
 * Parses a referrer pattern: `[scheme://](host|*.host)[:port][/path[*]]`. Only a leading
 * `*.` on the host and a trailing `*` on the path are wildcards.
 */
export function parseReferrerPattern(pattern: unknown): ReferrerPattern | null {
  if (typeof pattern !== 'string') return null;
  let text = pattern.trim();
  if (text.includes('?') || text.includes('#')) return null;
  const schemeEnd = text.indexOf('://');
  const hasPath = text.indexOf('/', schemeEnd >= 0 ? schemeEnd + 3 : 0) >= 0;
  const pathIsPrefix = hasPath && text.endsWith('*');
  if (pathIsPrefix) text = text.slice(0, -1);
  const parts = splitUrl(text, true);
  if (!parts || parts.path.includes('*')) return null;
  const subdomains = parts.host.startsWith('*.');
  return {
    scheme: parts.scheme,
    host: subdomains ? parts.host.slice(2) : parts.host,
    subdomains,
    port: parts.port,
    path: hasPath ? parts.path : undefined,
    pathIsPrefix,
  };
}

export function referrerMatches(p: ReferrerPattern, r: UrlParts): boolean {
  if (p.scheme !== undefined && p.scheme !== r.scheme) return false;
  if (p.port !== undefined && p.port !== r.port) return false;
  if (p.subdomains) {
    if (!(r.host.length > p.host.length + 1 && r.host.endsWith(p.host) && r.host[r.host.length - p.host.length - 1] === '.')) return false;
  } else if (r.host !== p.host) return false;
  if (p.path === undefined) return true;
  return p.pathIsPrefix ? r.path.startsWith(p.path) : r.path === p.path;
}
