import { z } from 'zod';

/**
 * The console's only reader of process.env (CONVENTIONS 5). Nothing here is exposed to
 * the browser: there are no NEXT_PUBLIC_ variables, so nothing secret can be inlined
 * into client bundles by accident. Values the browser needs (the public API URL) are
 * handed to client components as props at request time, so one build runs anywhere.
 */
const httpUrl = z
  .url({ protocol: /^https?$/ })
  .transform((value) => value.replace(/\/+$/, ''));

const envSchema = z.object({
  LATCHKEY_API_URL: httpUrl.default('http://127.0.0.1:4000'),
  /** Where browsers reach the API (graphql-ws live panes); defaults to LATCHKEY_API_URL. */
  LATCHKEY_PUBLIC_API_URL: httpUrl.optional(),
  NODE_ENV: z.enum(['development', 'production', 'test']).default('production'),
});

export interface ConsoleConfig {
  /** Base URL of the Latchkey API as seen from the console's server, no trailing slash. */
  readonly apiUrl: string;
  /** Base URL of the API as seen from browsers, no trailing slash. */
  readonly publicApiUrl: string;
  /** graphql-ws endpoint browsers connect to (ws: or wss: of publicApiUrl). */
  readonly publicWsUrl: string;
  /** The public API origin, for CSP `connect-src`. */
  readonly apiOrigin: string;
  readonly isDevelopment: boolean;
}

export function parseConsoleConfig(env: Record<string, string | undefined>): ConsoleConfig {
  // Empty strings count as unset so `LATCHKEY_API_URL=` in a .env file falls back to the default.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    throw new Error(`Invalid console configuration: ${z.prettifyError(parsed.error)}`);
  }
  const { LATCHKEY_API_URL, LATCHKEY_PUBLIC_API_URL, NODE_ENV } = parsed.data;
  const publicApiUrl = LATCHKEY_PUBLIC_API_URL ?? LATCHKEY_API_URL;
  const publicWsUrl = `${publicApiUrl.replace(/^http/, 'ws')}/graphql`;
  return Object.freeze({
    apiUrl: LATCHKEY_API_URL,
    publicApiUrl,
    publicWsUrl,
    apiOrigin: new URL(publicApiUrl).origin,
    isDevelopment: NODE_ENV === 'development',
  });
}

let cached: ConsoleConfig | undefined;

/**
 * Parsed on first use rather than at import, so `next build` never freezes the build
 * machine's environment into server code: the standalone server reads its own env.
 */
export function getConsoleConfig(): ConsoleConfig {
  cached ??= parseConsoleConfig(process.env);
  return cached;
}
