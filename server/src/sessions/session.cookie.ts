import type { Response } from 'express';
import type { Config } from '../infra/config';
import { SESSION_COOKIE } from '../access/authenticator';

/** The part of an HTTP response the session service needs (absent on websockets). */
export type CookieJar = Pick<Response, 'cookie' | 'clearCookie'>;

function options(config: Config) {
  // Secure whenever the API itself speaks TLS; behind a TLS-terminating proxy the
  // console sets its own cookie (client/app/api/session/route.ts).
  return { httpOnly: true, sameSite: 'lax' as const, secure: Boolean(config.TLS_CERT_FILE), path: '/' };
}

export function setSessionCookie(res: CookieJar | undefined, config: Config, token: string): void {
  res?.cookie(SESSION_COOKIE, token, { ...options(config), maxAge: config.SESSION_TTL_SECONDS * 1000 });
}

export function clearSessionCookie(res: CookieJar | undefined, config: Config): void {
  res?.clearCookie(SESSION_COOKIE, options(config));
}
