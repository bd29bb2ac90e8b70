import { NextResponse, type NextRequest } from 'next/server';
import { getConsoleConfig } from './lib/config';
import { contentSecurityPolicy } from './lib/security-headers';
import { SESSION_COOKIE } from './lib/session-cookie';

/** Pages anyone may see; everything else needs a session cookie. */
const PUBLIC_PAGES = new Set(['/login']);

/**
 * Runs per request on the server, so the CSP names the API origin of this deployment
 * (LATCHKEY_PUBLIC_API_URL at run time, not at build time), and a visitor without a
 * session goes to the sign-in page before any page renders. Whether the cookie is
 * still valid is the API's call: pages redirect to /login?expired=1 when it says no.
 */
export function proxy(request: NextRequest): NextResponse {
  const { pathname } = request.nextUrl;
  const csp = contentSecurityPolicy(getConsoleConfig());
  if (!pathname.startsWith('/api/') && !PUBLIC_PAGES.has(pathname) && !request.cookies.has(SESSION_COOKIE)) {
    // Next turns a same-origin Location back into a relative one, so proxies in front
    // of the console keep their own host name.
    const redirect = NextResponse.redirect(new URL('/login', request.url), 307);
    redirect.headers.set('Content-Security-Policy', csp);
    return redirect;
  }
  const response = NextResponse.next();
  response.headers.set('Content-Security-Policy', csp);
  return response;
}

export const config = {
  // Static assets need neither a session nor a CSP of their own.
  matcher: ['/((?!_next/static|_next/image|icon.svg|favicon.ico).*)'],
};
