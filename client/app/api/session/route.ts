import { NextResponse, type NextRequest } from 'next/server';
import { getConsoleConfig } from '@/lib/config';
import { LoginError, SESSION_COOKIE, loginWithPassword } from '@/lib/session';

/**
 * 303 turns the form POST into a GET, so a reload never re-submits credentials. The
 * Location is relative on purpose: the standalone server's own idea of its URL
 * (`request.nextUrl`) says "localhost", which is wrong behind a proxy or another host name.
 */
function seeOther(location: string): NextResponse {
  return new NextResponse(null, { status: 303, headers: { Location: location } });
}

function backToLogin(message: string): NextResponse {
  return seeOther(`/login?${new URLSearchParams({ error: message })}`);
}

/**
 * Login CSRF guard. Sec-Fetch-Site is preferred because with `Referrer-Policy: no-referrer`
 * browsers send `Origin: null` even for same-origin form posts.
 */
function isCrossSite(request: NextRequest): boolean {
  const site = request.headers.get('sec-fetch-site');
  if (site !== null) return site !== 'same-origin' && site !== 'none';
  const origin = request.headers.get('origin');
  if (origin === null || origin === 'null') return false;
  const host = request.headers.get('x-forwarded-host') ?? request.headers.get('host');
  return host === null || URL.parse(origin)?.host !== host;
}

function isHttps(request: NextRequest): boolean {
  const forwarded = request.headers.get('x-forwarded-proto')?.split(',')[0]?.trim();
  return (forwarded ?? request.nextUrl.protocol.replace(':', '')) === 'https';
}

export async function POST(request: NextRequest): Promise<NextResponse> {
  if (isCrossSite(request)) {
    return NextResponse.json({ error: 'cross-site sign-in rejected' }, { status: 403 });
  }

  const form = await request.formData().catch(() => null);
  const email = form?.get('email');
  const password = form?.get('password');
  if (typeof email !== 'string' || typeof password !== 'string' || !email.trim() || !password) {
    return backToLogin('Enter your email and password.');
  }

  let token: string;
  try {
    token = await loginWithPassword(getConsoleConfig(), email.trim(), password);
  } catch (error) {
    if (error instanceof LoginError) return backToLogin(error.message);
    throw error;
  }

  const response = seeOther('/');
  response.cookies.set({
    name: SESSION_COOKIE,
    value: token,
    httpOnly: true,
    sameSite: 'lax',
    secure: isHttps(request),
    path: '/',
  });
  return response;
}
