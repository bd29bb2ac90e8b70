import type { Principal, RequestMeta } from './principal';

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

/** The console's session cookie: set by the session service, read by the HTTP and websocket edges. */
export const SESSION_COOKIE = 'lk_session';
