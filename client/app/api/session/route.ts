import { NextResponse, type NextRequest } from 'next/server';
import { getConsoleConfig } from '@/lib/config';
import { isCrossSite } from '@/lib/csrf';
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

function isHttps(request: NextRequest): boolean {
  const forwarded = request.headers.get('x-forwarded-proto')?.split(',')[0]?.trim();
  return (forwarded ?? request.nextUrl.protocol.replace(':', '')) === 'https';
}

export async function POST(request: NextRequest): Promise<NextResponse> {
  // Login CSRF: a foreign page must not sign the visitor into someone else's account.
  if (isCrossSite(request.headers)) {
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
