import { NextResponse, type NextRequest } from 'next/server';
import { getConsoleConfig } from '@/lib/config';
import { isSameOriginScript } from '@/lib/csrf';
import { SESSION_COOKIE } from '@/lib/session-cookie';

const MAX_BODY_BYTES = 256 * 1024;

/**
 * The GraphQL explorer's endpoint: forwards a JSON operation to the API with the
 * session as a bearer token, so the explorer works without the token ever reaching
 * page JS. Only console scripts may call it (Sec-Fetch-Site), only JSON is accepted
 * (no form-encoded CSRF), and the body is bounded.
 */
export async function POST(request: NextRequest): Promise<NextResponse> {
  if (!isSameOriginScript(request.headers)) {
    return NextResponse.json({ errors: [{ message: 'same-origin scripts only' }] }, { status: 403 });
  }
  if (!request.headers.get('content-type')?.startsWith('application/json')) {
    return NextResponse.json({ errors: [{ message: 'JSON only' }] }, { status: 415 });
  }
  const token = request.cookies.get(SESSION_COOKIE)?.value;
  if (!token) {
    return NextResponse.json({ errors: [{ message: 'Not signed in', extensions: { code: 'UNAUTHENTICATED' } }] }, { status: 401 });
  }
  const body = await request.text();
  if (body.length > MAX_BODY_BYTES) {
    return NextResponse.json({ errors: [{ message: 'Operation too large' }] }, { status: 413 });
  }
  try {
    const upstream = await fetch(`${getConsoleConfig().apiUrl}/graphql`, {
      method: 'POST',
      cache: 'no-store',
      headers: { 'content-type': 'application/json', 'apollo-require-preflight': 'true', authorization: `Bearer ${token}` },
      body,
      signal: AbortSignal.timeout(30_000),
    });
    return new NextResponse(await upstream.text(), {
      status: upstream.status,
      headers: { 'content-type': upstream.headers.get('content-type') ?? 'application/json', 'cache-control': 'no-store' },
    });
  } catch {
    return NextResponse.json({ errors: [{ message: 'The Latchkey API could not be reached.' }] }, { status: 502 });
  }
}
