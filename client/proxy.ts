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
  const isApiRoute = pathname.startsWith('/api/');
  let response: NextResponse;
  if (!isApiRoute && !PUBLIC_PAGES.has(pathname) && !request.cookies.has(SESSION_COOKIE)) {
    // Relative Location: the standalone server's own URL says "localhost" behind proxies.
    response = new NextResponse(null, { status: 307, headers: { Location: '/login' } });
  } else {
    response = NextResponse.next();
  }
  response.headers.set('Content-Security-Policy', contentSecurityPolicy(getConsoleConfig()));
  return response;
}

export const config = {
  // Static assets need neither a session nor a CSP of their own.
  matcher: ['/((?!_next/static|_next/image|icon.svg|favicon.ico).*)'],
};
