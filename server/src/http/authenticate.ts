import type { IncomingHttpHeaders } from 'node:http';
import type { Request } from 'express';
import { parse as parseCookies } from 'cookie';
import { SESSION_COOKIE, type Authenticator, type Credential } from '../access/authenticator';
import type { Principal, RequestMeta } from '../access/principal';

/** Reads the credential from the Authorization header, the session cookie or ?api_key=. */
export function credentialFromRequest(req: Request): Credential | null {
  const auth = req.headers.authorization;
  if (typeof auth === 'string' && auth.length > 0) {
    const m = /^Bearer\s+(.+)$/i.exec(auth.trim());
    return { value: m?.[1] ?? '', source: 'header' };
  }
  const cookie = sessionCookieOf(req.headers);
  if (cookie) return { value: cookie, source: 'cookie' };
  const q = req.query?.api_key;
  if (typeof q === 'string') return { value: q, source: 'query' };
  return null;
}

/**
 * The session cookie of a request or websocket handshake. A value that is not valid
 * percent-encoding (`lk_session=%`) comes back as sent, so it is refused like any other
 * wrong credential instead of throwing.
 */
export function sessionCookieOf(headers: IncomingHttpHeaders): string | undefined {
  const header = headers.cookie;
  if (!header) return undefined;
  return parseCookies(header)[SESSION_COOKIE] || undefined;
}

export async function resolvePrincipal(
  authenticators: readonly Authenticator[],
  credential: Credential | null,
  meta: RequestMeta,
): Promise<Principal | null> {
  if (!credential) return null;
  for (const a of authenticators) {
    const p = await a.authenticate(credential, meta);
    if (p) return p;
  }
  return null;
}
