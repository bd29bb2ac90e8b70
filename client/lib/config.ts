import { z } from 'zod';

/**
 * The console's only reader of process.env (CONVENTIONS 5). Nothing here is exposed to
 * the browser: there are no NEXT_PUBLIC_ variables, so nothing secret can be inlined
 * into client bundles by accident.
 */
const httpUrl = z
  .url({ protocol: /^https?$/ })
  .transform((value) => value.replace(/\/+$/, ''));

const envSchema = z.object({
  LATCHKEY_API_URL: httpUrl.default('http://127.0.0.1:4000'),
  NODE_ENV: z.enum(['development', 'production', 'test']).default('production'),
});

export interface ConsoleConfig {
  /** Base URL of the Latchkey API as seen from the console's server, no trailing slash. */
  readonly apiUrl: string;
  /** The API origin, for CSP `connect-src`. */
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
  const { LATCHKEY_API_URL, NODE_ENV } = parsed.data;
  return Object.freeze({
    apiUrl: LATCHKEY_API_URL,
    apiOrigin: new URL(LATCHKEY_API_URL).origin,
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
