import type { IncomingHttpHeaders } from 'node:http';
import type { Request, Response } from 'express';
import { parse as parseCookies } from 'cookie';
import { VERIFY_CODE_HTTP_STATUS } from '@latchkey/schema';
import { SESSION_COOKIE, type Authenticator, type Credential } from '../access/authenticator';
import type { Principal, RequestMeta } from '../access/principal';
import { AppError } from '../infra/app-error';
import { isApiKeyCredential } from '../verify/key-authenticator';
import type { VerifyService } from '../verify/verify.service';
import { requestMeta } from './request-meta';

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

/** What a REST route needs to authenticate its caller like /graphql does. */
export interface RestAuthDeps {
  verify: Pick<VerifyService, 'verify'>;
  authenticators: readonly Authenticator[];
}

/**
 * The caller of a REST download, like /graphql: a session (cookie or bearer) or an API
 * key verified by the one pipeline. A refused key is answered here (its verification
 * code and status) and null returned; no credential is UNAUTHENTICATED.
 */
export async function restPrincipal(deps: RestAuthDeps, req: Request, res: Response): Promise<Principal | null> {
  const credential = credentialFromRequest(req);
  const meta = requestMeta(req);
  if (isApiKeyCredential(credential)) {
    const r = await deps.verify.verify({ key: credential.value, ip: meta.ip }, { queryParam: credential.source === 'query' });
    if (!r.valid) {
      res.status(VERIFY_CODE_HTTP_STATUS[r.code]).json({ error: { code: r.code, message: r.reason ?? r.code } });
      return null;
    }
    return { kind: 'key', id: r.keyId as string, orgId: r.orgId as string, scopes: r.scopes ?? [], userId: r.ownerId ?? undefined, isPlatformAdmin: false };
  }
  const p = await resolvePrincipal(deps.authenticators, credential, meta);
  if (!p) throw AppError.unauthenticated();
  return p;
}
