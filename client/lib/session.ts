import type { ConsoleConfig } from './config';

export { SESSION_COOKIE } from './session-cookie';

const LOGIN_MUTATION = 'mutation($e:String!,$p:String!){login(email:$e,password:$p){token}}';
const LOGIN_TIMEOUT_MS = 10_000;

/** A failure whose message is safe to show on the sign-in page. */
export class LoginError extends Error {
  override name = 'LoginError';
}

interface LoginResponse {
  data?: { login?: { token?: unknown } | null } | null;
  errors?: { message?: unknown }[];
}

export async function loginWithPassword(
  config: ConsoleConfig,
  email: string,
  password: string,
): Promise<string> {
  let response: Response;
  try {
    response = await fetch(`${config.apiUrl}/graphql`, {
      method: 'POST',
      cache: 'no-store',
      headers: {
        'content-type': 'application/json',
        // Apollo's CSRF prevention rejects "simple" requests without a preflight header.
        'apollo-require-preflight': 'true',
      },
      body: JSON.stringify({ query: LOGIN_MUTATION, variables: { e: email, p: password } }),
      signal: AbortSignal.timeout(LOGIN_TIMEOUT_MS),
    });
  } catch {
    throw new LoginError('The sign-in service is unavailable. Try again shortly.');
  }

  const body = (await response.json().catch(() => null)) as LoginResponse | null;
  const firstError = body?.errors?.[0]?.message;
  if (typeof firstError === 'string' && firstError.length > 0) {
    // The API masks internal errors, so what it returns is meant for users.
    throw new LoginError(firstError.slice(0, 200));
  }
  const token = body?.data?.login?.token;
  if (!response.ok || typeof token !== 'string' || token.length === 0) {
    throw new LoginError(`Sign-in failed (HTTP ${response.status}).`);
  }
  return token;
}
