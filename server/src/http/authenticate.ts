import type { Request } from 'express';
import type { Principal, RequestMeta } from '../graphql/context';

/**
 * A way to turn a credential into a principal: session tokens, API keys. Each
 * returns null when the credential is not its kind, and throws an AppError when it
 * is its kind but invalid (so a bad key is not silently treated as anonymous).
 */
export interface Authenticator {
  readonly name: string;
  authenticate(credential: Credential, meta: RequestMeta): Promise<Principal | null>;
}

export interface Credential {
  value: string;
  /** Where it came from: the query form is discouraged and audited. */
  source: 'header' | 'cookie' | 'query' | 'connection_init';
}

export const SESSION_COOKIE = 'lk_session';

/** Reads the credential from the Authorization header, the session cookie or ?api_key=. */
export function credentialFromRequest(req: Request): Credential | null {
  const auth = req.headers.authorization;
  if (typeof auth === 'string' && auth.length > 0) {
    const m = /^Bearer\s+(.+)$/i.exec(auth.trim());
    return { value: m?.[1] ?? '', source: 'header' };
  }
  const cookie = readCookie(req.headers.cookie, SESSION_COOKIE);
  if (cookie) return { value: cookie, source: 'cookie' };
  const q = req.query?.api_key;
  if (typeof q === 'string') return { value: q, source: 'query' };
  return null;
}

export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const idx = part.indexOf('=');
    if (idx < 0) continue;
    if (part.slice(0, idx).trim() === name) return decodeURIComponent(part.slice(idx + 1).trim());
  }
  return undefined;
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
