import { LatchkeyError } from './errors';

export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

export interface HttpOptions {
  baseUrl: string;
  apiKey: string;
  /** Budget for one call including every retry: the SDK never waits longer. */
  timeoutMs: number;
  /** Extra attempts after a transient failure (network, timeout of one attempt, 502/503/504). */
  retries: number;
  fetch?: FetchLike;
  userAgent?: string;
}

export interface JsonAnswer<T> {
  status: number;
  body: T;
  headers: Headers;
}

const TRANSIENT_STATUS = new Set([502, 503, 504]);
const BASE_BACKOFF_MS = 50;
const MAX_BACKOFF_MS = 2_000;

/**
 * POSTs JSON and parses the JSON answer. Transient failures are retried with
 * exponential backoff and full jitter, all inside one deadline; anything the server
 * answered definitively (2xx, 4xx, 500) is returned or thrown at once, because asking
 * again would get the same answer or, for mutations, do the work twice.
 */
export async function postJson<T>(opts: HttpOptions, path: string, payload: unknown, extraHeaders: Record<string, string> = {}): Promise<JsonAnswer<T>> {
  const deadline = Date.now() + opts.timeoutMs;
  const doFetch = opts.fetch ?? fetch;
  let lastError: LatchkeyError | undefined;
  for (let attempt = 0; attempt <= opts.retries; attempt++) {
    if (attempt > 0) {
      const wait = Math.random() * Math.min(MAX_BACKOFF_MS, BASE_BACKOFF_MS * 2 ** attempt);
      if (Date.now() + wait >= deadline) break;
      await sleep(wait);
    }
    const remaining = deadline - Date.now();
    if (remaining <= 0) break;
    const ac = new AbortController();
    const timer = setTimeout(() => ac.abort(), remaining);
    try {
      const res = await doFetch(`${opts.baseUrl.replace(/\/$/, '')}${path}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json',
          // No credential at all for login; an empty Bearer would be refused as malformed.
          ...(opts.apiKey ? { authorization: `Bearer ${opts.apiKey}` } : {}),
          'user-agent': opts.userAgent ?? 'latchkey-sdk-js/0.1',
          ...extraHeaders,
        },
        body: JSON.stringify(payload),
        signal: ac.signal,
      });
      const text = await res.text();
      if (TRANSIENT_STATUS.has(res.status)) {
        lastError = new LatchkeyError('UNAVAILABLE', `Latchkey answered ${res.status}`, { status: res.status, transient: true });
        continue;
      }
      let body: T;
      try {
        body = JSON.parse(text) as T;
      } catch {
        throw new LatchkeyError('BAD_RESPONSE', `Latchkey answered ${res.status} with a non-JSON body: ${text.slice(0, 200)}`, { status: res.status });
      }
      return { status: res.status, body, headers: res.headers };
    } catch (e) {
      if (e instanceof LatchkeyError) throw e;
      const timedOut = ac.signal.aborted;
      const message = timedOut ? `no answer from Latchkey within ${opts.timeoutMs} ms` : `Latchkey unreachable: ${describe(e)}`;
      lastError = new LatchkeyError(timedOut ? 'TIMEOUT' : 'UNAVAILABLE', message, {
        transient: true,
        cause: e,
      });
    } finally {
      clearTimeout(timer);
    }
  }
  throw lastError ?? new LatchkeyError('TIMEOUT', `no answer from Latchkey within ${opts.timeoutMs} ms`, { transient: true });
}

function describe(e: unknown): string {
  const err = e as { message?: string; cause?: { code?: string; message?: string } };
  return err.cause?.code ?? err.cause?.message ?? err.message ?? String(e);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
