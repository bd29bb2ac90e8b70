import { createServer as createHttpServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { readFileSync } from 'node:fs';
import type { Config } from '../infra/config';

/** Whether the API serves TLS itself (both files set; config refuses one without the other). */
export function tlsEnabled(config: Pick<Config, 'TLS_CERT_FILE' | 'TLS_KEY_FILE'>): boolean {
  return Boolean(config.TLS_CERT_FILE && config.TLS_KEY_FILE);
}

/**
 * The Strict-Transport-Security value, or null when HSTS must not be sent. Browsers
 * ignore HSTS received over plain HTTP, and sending it from a server that may be
 * reached by plain HTTP later would lock users out, so it is tied to our own TLS.
 */
export function hstsValue(config: Pick<Config, 'TLS_CERT_FILE' | 'TLS_KEY_FILE' | 'TLS_HSTS_MAX_AGE_SECONDS'>): string | null {
  if (!tlsEnabled(config) || config.TLS_HSTS_MAX_AGE_SECONDS <= 0) return null;
  return `max-age=${config.TLS_HSTS_MAX_AGE_SECONDS}; includeSubDomains`;
}

/**
 * The API's listening server: HTTPS only when TLS files are configured (a plain-HTTP
 * request to that port fails its TLS handshake; nothing answers in clear text), else
 * HTTP. HSTS is set before Express sees the request, so every response carries it —
 * health, metrics, REST, GraphQL and errors alike. graphql-ws attaches to this server,
 * so subscriptions are WSS exactly when queries are HTTPS.
 */
export function createApiServer(config: Config, app: RequestListener): Server {
  if (!tlsEnabled(config)) return createHttpServer(app);
  const hsts = hstsValue(config);
  const listener = (req: IncomingMessage, res: ServerResponse) => {
    if (hsts) res.setHeader('Strict-Transport-Security', hsts);
    app(req, res);
  };
  return createHttpsServer(
    {
      cert: readFileSync(config.TLS_CERT_FILE as string),
      key: readFileSync(config.TLS_KEY_FILE as string),
      // TLS 1.2 is the floor: older versions are deprecated (RFC 8996).
      minVersion: 'TLSv1.2',
    },
    listener,
  );
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost', '::ffff:127.0.0.1']);

/** True for addresses only this machine can reach (127.0.0.0/8, ::1, localhost). */
export function isLoopbackHost(host: string): boolean {
  return LOOPBACK.has(host) || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/**
 * The loud start-up warning of production on plain HTTP reachable from other hosts
 * (main.ts logs it): session tokens and API keys would cross the network in clear.
 */
export function plainHttpWarning(config: Pick<Config, 'isProduction' | 'HOST' | 'TLS_CERT_FILE' | 'TLS_KEY_FILE'>): string | null {
  if (!config.isProduction || tlsEnabled(config) || isLoopbackHost(config.HOST)) return null;
  return (
    `!!! serving plain HTTP on ${config.HOST} in production: API keys and session tokens cross the network unencrypted. ` +
    'Set TLS_CERT_FILE/TLS_KEY_FILE or put a TLS-terminating proxy in front and bind HOST to 127.0.0.1 !!!'
  );
}
