import type { ConsoleConfig } from './config.ts';

export interface HeaderPair {
  key: string;
  value: string;
}

/** The API origin in both schemes a browser may use to reach it: fetch and graphql-ws. */
function apiConnectSources(apiOrigin: string): string[] {
  const url = new URL(apiOrigin);
  const ws = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return [url.origin, `${ws}//${url.host}`];
}

/**
 * Computed per request by proxy.ts (not in next.config headers, which `next build`
 * freezes), so connect-src names the API origin of the environment the console runs in.
 */
export function contentSecurityPolicy(config: ConsoleConfig): string {
  const directives: Record<string, string[]> = {
    'default-src': ["'self'"],
    // Next's App Router bootstraps with inline scripts; nonces would force every page dynamic.
    // React's dev overlay additionally needs eval.
    'script-src': ["'self'", "'unsafe-inline'", ...(config.isDevelopment ? ["'unsafe-eval'"] : [])],
    'style-src': ["'self'", "'unsafe-inline'"],
    'img-src': ["'self'", 'data:', 'blob:'],
    'font-src': ["'self'", 'data:'],
    'worker-src': ["'self'", 'blob:'],
    'connect-src': ["'self'", ...apiConnectSources(config.apiOrigin)],
    'object-src': ["'none'"],
    'base-uri': ["'self'"],
    'form-action': ["'self'"],
    'frame-ancestors': ["'none'"],
  };
  return Object.entries(directives)
    .map(([name, values]) => `${name} ${values.join(' ')}`)
    .join('; ');
}

/** Headers that do not depend on the environment; next.config sends them on every path. */
export function staticSecurityHeaders(): HeaderPair[] {
  return [
    { key: 'X-Frame-Options', value: 'DENY' },
    { key: 'Referrer-Policy', value: 'no-referrer' },
    { key: 'X-Content-Type-Options', value: 'nosniff' },
  ];
}
