import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import type { TypedDocumentString } from '@/gql/graphql';
import { getConsoleConfig } from './config';
import { SESSION_COOKIE } from './session-cookie';

const API_TIMEOUT_MS = 20_000;

export interface ApiFailure {
  ok: false;
  message: string;
  /** GraphQL extensions.code (FORBIDDEN, NOT_FOUND, VALIDATION…) or NETWORK. */
  code: string;
  /** Field paths the API named as invalid, when it did. */
  fields?: { path: string; message: string }[];
}
export type ApiResult<T> = { ok: true; data: T } | ApiFailure;

interface GqlError {
  message?: string;
  extensions?: { code?: string; fields?: { path?: (string | number)[]; message?: string }[] };
}

/** The session token, or a trip to the sign-in page: every caller needs one. */
export async function sessionToken(): Promise<string> {
  const token = (await cookies()).get(SESSION_COOKIE)?.value;
  if (!token) redirect('/login');
  return token;
}

/**
 * Runs one typed operation against the API on the server, with the session cookie
 * forwarded as a bearer token (the browser never sees it). An UNAUTHENTICATED answer
 * means the session expired or was revoked: that is a redirect, not an error state.
 */
export async function gqlRequest<R, V>(
  document: TypedDocumentString<R, V>,
  variables: V,
): Promise<ApiResult<R>> {
  const token = await sessionToken();
  let response: Response;
  try {
    response = await fetch(`${getConsoleConfig().apiUrl}/graphql`, {
      method: 'POST',
      cache: 'no-store',
      headers: {
        'content-type': 'application/json',
        'apollo-require-preflight': 'true',
        authorization: `Bearer ${token}`,
      },
      body: JSON.stringify({ query: document.toString(), variables }),
      signal: AbortSignal.timeout(API_TIMEOUT_MS),
    });
  } catch {
    return { ok: false, code: 'NETWORK', message: 'The Latchkey API could not be reached. Try again shortly.' };
  }
  const body = (await response.json().catch(() => null)) as { data?: R | null; errors?: GqlError[] } | null;
  const first = body?.errors?.[0];
  if (first?.extensions?.code === 'UNAUTHENTICATED' || response.status === 401) redirect('/login?expired=1');
  if (first) {
    return {
      ok: false,
      code: first.extensions?.code ?? 'ERROR',
      message: first.message ?? 'The API refused the request.',
      fields: first.extensions?.fields?.map((f) => ({ path: (f.path ?? []).join('.'), message: f.message ?? '' })),
    };
  }
  if (!body?.data) return { ok: false, code: `HTTP_${response.status}`, message: `The API answered HTTP ${response.status}.` };
  return { ok: true, data: body.data };
}
