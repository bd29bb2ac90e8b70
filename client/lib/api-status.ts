import type { ConsoleConfig } from './config';

export type ApiReadiness = { ready: true } | { ready: false; reason: string };

const READINESS_TIMEOUT_MS = 2_000;

/** Names a failed fetch by its most specific cause (ECONNREFUSED, ENOTFOUND…), not "fetch failed". */
function describeFetchError(error: unknown): string {
  if (error instanceof Error) {
    if (error.name === 'TimeoutError' || error.name === 'AbortError') return 'timed out';
    const cause = (error as Error & { cause?: unknown }).cause;
    if (cause && typeof cause === 'object' && 'code' in cause && typeof cause.code === 'string') {
      return cause.code;
    }
    // e.g. "bad port": undici refuses the fetch spec's blocked ports without connecting.
    if (cause instanceof Error && cause.message) return cause.message;
    return error.message;
  }
  return 'unknown error';
}

export async function checkApiReadiness(config: ConsoleConfig): Promise<ApiReadiness> {
  try {
    const response = await fetch(`${config.apiUrl}/readyz`, {
      cache: 'no-store',
      signal: AbortSignal.timeout(READINESS_TIMEOUT_MS),
    });
    // Drain the body so the socket is released even though only the status matters.
    await response.arrayBuffer().catch(() => undefined);
    return response.ok ? { ready: true } : { ready: false, reason: `HTTP ${response.status}` };
  } catch (error) {
    return { ready: false, reason: describeFetchError(error) };
  }
}
