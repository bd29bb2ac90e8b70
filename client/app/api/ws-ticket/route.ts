import { NextResponse, type NextRequest } from 'next/server';
import { isSameOriginScript } from '@/lib/csrf';
import { SESSION_COOKIE } from '@/lib/session-cookie';

/**
 * Hands the session token to the console's own live panes so they can authenticate
 * graphql-ws (`connection_init`) with the API on another origin. The trade-off (the
 * token reaches page JS, in memory only) is written up in docs/CONSOLE.md. Only fetches
 * made by console scripts get it: Sec-Fetch-Site must be same-origin, and no-store
 * keeps it out of every cache.
 */
export function GET(request: NextRequest): NextResponse {
  const noStore = { 'cache-control': 'no-store', pragma: 'no-cache' };
  if (!isSameOriginScript(request.headers)) {
    return NextResponse.json({ error: 'same-origin scripts only' }, { status: 403, headers: noStore });
  }
  const token = request.cookies.get(SESSION_COOKIE)?.value;
  if (!token) return NextResponse.json({ error: 'not signed in' }, { status: 401, headers: noStore });
  return NextResponse.json({ token }, { headers: noStore });
}
